export * from './cidr';
export * from './exporter-releases';
export * from './names';
export * from './options';
export * from './problems';
export * from './spec';
export * from './spec-file';
export { normaliseServiceOptions, FARGATE_MEMORY } from './normalise';
export { LOG_RETENTION_DAYS, MIN_PREFIX, MAX_PREFIX } from './network';

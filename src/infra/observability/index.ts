export * from './alarm-catalog';
export * from './observability-stack';

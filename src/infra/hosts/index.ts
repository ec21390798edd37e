export * from './host-role';
export * from './hosts-stack';
export * from './placement';
export * from './transfer-bucket';

export * from './access';
export * from './acknowledge';
export * from './app';
export * from './availability-zones';
export * from './env';
export * from './hosts';
export * from './network';
export * from './outputs';

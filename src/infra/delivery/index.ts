export * from './buildspecs';
export * from './delivery-stack';

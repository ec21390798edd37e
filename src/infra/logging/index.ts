export * from './log-shipper-function';
export * from './logs-stack';
export * from './search-domain';
export * from './shipper-bundle';

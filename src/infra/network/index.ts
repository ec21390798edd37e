export * from './flow-logs';
export * from './host-security-group';
export * from './nacl-rules';
export * from './nat-egress';
export * from './network-acls';
export * from './network-stack';
export * from './service-vpc';
export * from './vpc-endpoints';

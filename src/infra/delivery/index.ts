export * from './buildspecs';
export * from './delivery-stack';
export * from './cdk-cli-version';

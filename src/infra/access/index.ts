export * from './access-stack';
export * from './github-trust';

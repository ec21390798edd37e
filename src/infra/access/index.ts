export * from './access-stack';
export * from './condition-evaluator';
export * from './github-trust';

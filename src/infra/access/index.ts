export * from './access-stack';
export * from './condition-evaluator';
export * from './github-trust';
export * from './hosts-config-role';

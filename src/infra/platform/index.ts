export * from './container-registry';
export * from './ecs-service';
export * from './eks-service';
export * from './k8s-manifest';
export * from './load-balancer';
export * from './platform-stack';

export * from './api-cluster';
export * from './fargate-cluster';
export * from './ec2-cluster';
export * from './api-service';
export * from './deployment';
export * from './capacity';
export * from './api-ingress';
export * from './platform';

export * from './fargate-cluster';

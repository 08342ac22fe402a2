export * from './load-balancer-security-group';
export * from './alb-ingress';

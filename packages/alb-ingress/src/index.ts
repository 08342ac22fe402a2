export * from './load-balancer-security-group';

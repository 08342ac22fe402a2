export * from './http-api-access-log';
export * from './api-gateway-ingress';

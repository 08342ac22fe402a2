export * from './cloudfront-ingress';

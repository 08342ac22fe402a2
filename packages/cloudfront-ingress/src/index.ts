export * from './cloudfront-ingress';
export * from './cloudfront-error-rate-alarm';

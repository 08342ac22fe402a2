export * from './http-api-access-log';

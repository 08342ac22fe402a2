export * from './api-monitoring';

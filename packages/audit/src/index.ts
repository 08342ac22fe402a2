export * from './exposure-checks';

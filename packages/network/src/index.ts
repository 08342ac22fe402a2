export * from './egress';
export * from './network';
export * from './platform-parameters';

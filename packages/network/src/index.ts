export * from './egress';
export * from './network';

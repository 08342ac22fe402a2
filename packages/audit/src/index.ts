export * from './exposure-checks';
export * from './price-table';
export * from './cost-estimator';
export * from './update-safety';

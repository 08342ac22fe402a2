export * from './context';
export * from './acknowledgements';
export * from './stack-parts';
export * from './synthesize';

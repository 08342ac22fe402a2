export * from './context';
export * from './acknowledgements';
export * from './stack-parts';

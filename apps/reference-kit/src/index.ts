export * from './context';
export * from './acknowledgements';

export * from './selectors';
export * from './anchor';

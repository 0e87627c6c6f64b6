export * from './ids';
export * from './item';
export * from './url';
export * from './invite';

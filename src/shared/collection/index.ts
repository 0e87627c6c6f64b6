export * from './schema';
export * from './mutations';
export * from './materialize';
export * from './publication-blurbs';
export * from './highlights';

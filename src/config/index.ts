export * from './config';
export * from './dsn';
export * from './load';
export * from './target';

// The declarative model: re-exports only.
export * from './column';
export * from './compile-sql';
export * from './create-all';
export * from './database-of';
export * from './enum-type';
export * from './function-def';
export * from './grant';
export * from './index-def';
export * from './model';
export * from './render-ddl';
export * from './render-routine';
export * from './render-table';
export * from './schema-scope';
export * from './sequence';
export * from './table';
export * from './trigger';
export * from './view';

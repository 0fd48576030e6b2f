// The CRMP reference schema, this repository's own project (alembic.ini: model = src/crmp/index.ts).
// Re-exports only; `model` is what `[alembic] model` loads.
export * from './climo-tables';
export * from './functions';
export * from './meta-tables';
export * from './model';
export * from './obs-tables';
export * from './views';
export * from './plpython';
export { crmp as model } from './model';

// The CRMP reference schema: re-exports only.
export * from './climo-tables';
export * from './functions';
export * from './meta-tables';
export * from './model';
export * from './obs-tables';
export * from './views';
export * from './plpython';

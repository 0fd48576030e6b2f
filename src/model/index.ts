// The declarative model: the DSL (./dsl, what a model module uses), and the functions inside
// Retort that turn a model into a snapshot, SQL or a schema.
export * from './dsl';
export { compileSql } from './compile-sql';
export { createAll, type CreateAllOptions, type CreateAllResult } from './create-all';
export { isSuperuserExtension, SUPERUSER_EXTENSIONS } from './extension';
export { isAtomicBody, isLibrarySymbol, UNTRUSTED_LANGUAGES } from './function-def';
export { completeModel } from './model';
export { modelOperations, modelStatements, type ModelStatement } from './model-statements';
export { modelToSnapshot } from './model-to-snapshot';
export { validateModel } from './validate-model';
export { ColumnBuilder } from './column';
export { TableBuilder } from './table';
export { ViewBuilder } from './view';

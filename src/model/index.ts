// The declarative model: the DSL, and the functions that turn a model into a snapshot, SQL or a schema.
export { sql } from 'kysely';
export { collation, type CollationNode } from './collation';
export * from './column';
export { compileSql } from './compile-sql';
export { createAll, type CreateAllOptions, type CreateAllResult } from './create-all';
export * from './database-of';
export { domain, type Domain, type DomainCheck, type DomainNode } from './domain';
export * from './enum-type';
export { extension, isSuperuserExtension, SUPERUSER_EXTENSIONS, type ExtensionNode } from './extension';
export * from './function-def';
export * from './grant';
export type { IndexElement, IndexElementOptions, IndexMethod, IndexNode, IndexOptions } from './index-def';
export * from './model';
export { modelOperations, modelStatements, type ModelStatement } from './model-statements';
export { modelToSnapshot } from './model-to-snapshot';
export * from './policy';
export type { SchemaScope, SqlExpression } from './schema-scope';
export * from './sequence';
export * from './table';
export type {
  CheckNode,
  Deferrable,
  ExclusionElement,
  ExclusionNode,
  ExclusionOptions,
  ForeignKeyNode,
  KeyOptions,
  PrimaryKeyNode,
  RawConstraintNode,
  UniqueNode,
} from './table-constraints';
export * from './trigger';
export { validateModel } from './validate-model';
export * from './view';

// What a model module uses: the builders and the types of what they build. The functions that
// turn a model into a snapshot or SQL (modelToSnapshot, createAll, ...) stay inside Retort.
export { sql } from 'kysely';
export { collation, type CollationNode } from './collation';
export {
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  column,
  date,
  domainColumn,
  doublePrecision,
  enumColumn,
  integer,
  interval,
  json,
  jsonb,
  numeric,
  real,
  serial,
  smallint,
  smallserial,
  text,
  time,
  timestamp,
  timestamptz,
  timetz,
  uuid,
  varchar,
  type AnyColumn,
  type CheckOptions,
  type CollationRef,
  type ColumnBuilder,
  type ColumnDataType,
  type ColumnNode,
  type ColumnReference,
  type ForeignKeyOptions,
  type Generation,
  type IdentityOptions,
  type PgInterval,
  type ReferentialAction,
  type SequenceNumber,
  type TableRef,
} from './column';
export type { DatabaseOf, KyselyColumnOf, RowOf } from './database-of';
export { domain, type Domain, type DomainCheck, type DomainNode } from './domain';
export { enumType, type EnumType, type EnumTypeNode } from './enum-type';
export { extension, type ExtensionNode } from './extension';
export {
  pgFunction,
  procedure,
  type FunctionArgument,
  type FunctionBody,
  type FunctionNode,
  type FunctionOptions,
  type ProcedureOptions,
  type TypeExpression,
} from './function-def';
export { grant, revoke, type GrantNode, type GrantTarget, type Privilege } from './grant';
export type { IndexElement, IndexElementOptions, IndexMethod, IndexNode, IndexOptions } from './index-def';
export { defineModel, type AnyModel, type Model, type ModelDefinition } from './model';
export { policy, type PolicyNode } from './policy';
export type { SchemaScope, SqlExpression } from './schema-scope';
export { sequence, type SequenceNode } from './sequence';
export { table, type AnyTable, type ColumnMap, type ColumnName, type PartitionKeyNode, type TableBuilder, type TableColumnNode, type TableNode } from './table';
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
export { trigger, type TriggerNode } from './trigger';
export { materializedView, view, type AnyView, type ViewBuilder, type ViewNode, type ViewOptions } from './view';

// The public API of retort-migrate: re-exports only.

// Library functions: plain options in, data out; nothing is printed (see src/api/).
export * from './api';
export type { MigrateResult } from './commands/migrate';
export type { StepReport } from './runtime/execute-plan';
export type { StatusRow } from './commands/status';
export type { RevisionInfo } from './commands/inspect';
export type { GeneratedRevision } from './commands/autogenerate';
export type { PullResult } from './commands/pull';
export type { DiffSchemasResult } from './commands/diff';
export type { RenameHint } from './diff/renames';
export type { Operation } from './operations/operation';
export type { Snapshot } from './schema/snapshot';
export type { Output } from './commands/output';

// Errors: every mistake a caller can make is a RetortError with a code.
export { ConfigError, DatabaseError, GraphError, RetortError, RevisionFailedError, ScriptError, type ErrorCode } from './errors';

// What a revision module is written against.
export type { Direction } from './graph/revision';
export type { MigrationContext, RevisionLogger, RevisionModule } from './revision-module';

// The model DSL, `sql` included.
export * from './model/dsl';
// kysely is a peer dependency: `sql` (exported with the DSL) and these types come from the app's own
// kysely, the one Retort runs with, so a model or a revision needs no kysely import of its own.
export type { ColumnType, Expression, Generated, Insertable, Kysely, RawBuilder, Selectable, Sql, Transaction, Updateable } from 'kysely';

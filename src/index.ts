// Public API: re-exports only.
export * from './errors';
export type { Direction, Revision, Step } from './graph/revision';
export { RevisionGraph } from './graph';
export type { MigrationContext, RevisionModule, RevisionLogger } from './revision-module';
export { buildMigrationContext } from './runtime/migration-context';
export * from './model';
// kysely is a peer dependency: `sql` (exported by ./model) and these types come from the app's own
// kysely, the one Retort runs with, so a model or a revision needs no kysely import of its own.
export type { ColumnType, Expression, Generated, Insertable, Kysely, RawBuilder, Selectable, Sql, Transaction, Updateable } from 'kysely';
export { migrate, type MigrateOptions, type MigrateResult } from './commands/migrate';
export { pullModel, type PullOptions, type PullResult } from './commands/pull';
export { renderModelSource, type ModelSourceOptions } from './pull/render-model-source';
export { loadProject, type Project } from './commands/project';
export { loadConfig } from './config/load';
export { resolveTargets, type Target } from './config/target';

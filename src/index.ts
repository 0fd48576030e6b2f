// Public API: re-exports only.
export * from './errors';
export type { Direction, Revision, Step } from './graph/revision';
export { RevisionGraph } from './graph';
export type { MigrationContext, RevisionModule, RevisionLogger } from './revision-module';
export { buildMigrationContext } from './runtime/migration-context';
export * from './model';
export { migrate, type MigrateOptions, type MigrateResult } from './commands/migrate';
export { pullModel, type PullOptions, type PullResult } from './commands/pull';
export { renderModelSource, type ModelSourceOptions } from './pull/render-model-source';
export { loadProject, type Project } from './commands/project';
export { loadConfig } from './config/load';
export { resolveTargets, type Target } from './config/target';

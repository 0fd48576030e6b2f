// Public API: re-exports only.
export * from './errors';
export type { Revision, Step } from './graph/revision';
export type { MigrationContext, RevisionModule, RevisionLogger } from './runtime/context';

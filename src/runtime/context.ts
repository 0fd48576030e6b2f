// Revision files import `MigrationContext` from this path (the CRMP revisions, and any file
// `migrate revision` writes inside this repository); the types live in ../revision-module.ts,
// where both the runtime that calls a revision and scripts/, which loads it, can see them.
export type { MigrationContext, RevisionLogger, RevisionModule } from '../revision-module';

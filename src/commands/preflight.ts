import { DatabaseError } from '../errors';
import type { OpenTarget } from '../target/open-target';
import { permissionHint } from '../target/privileges';
import { targetName } from '../target/target-name';
import type { Project } from './project';

/**
 * Refuses heads in the version table that no revision file defines, and a version table that
 * holds a revision together with one of its ancestors (it holds heads only: one of them is stale).
 */
export function checkKnownHeads(project: Project, open: OpenTarget): void {
  const unknown = open.heads.filter((h) => !project.graph.get(h));
  if (unknown.length > 0) {
    throw new DatabaseError(
      'UNKNOWN_DATABASE_REVISION',
      `${targetName(open.target)} is at revision ${unknown.join(', ')}, which no file in ${project.config.scriptLocation} defines. ${unknownRevisionHint(unknown)}`,
    );
  }
  for (const a of open.heads) {
    const descendant = open.heads.find((b) => b !== a && project.graph.isAncestorOrSelf(a, b));
    if (descendant) {
      throw new DatabaseError(
        'STALE_VERSION_ROW',
        `The version table of ${targetName(open.target)} holds ${a} and ${descendant}, but ${a} is an ancestor of ${descendant}: a version table holds heads only, so one row is stale. If the schema is at ${descendant}, run "migrate stamp --purge ${open.heads.filter((h) => h !== a).join(' ')}".`,
      );
    }
  }
}

/**
 * Before a command changes a target: the login user may write the version table (or, when it
 * is missing, create it in the schema). Says which grant fixes it, before any DDL runs.
 */
export function checkWritable(open: OpenTarget): void {
  const table = `${open.names.schema}.${open.names.table}`;
  if (open.versionTableExists && !open.may.writeVersionTable) {
    throw new DatabaseError(
      'VERSION_TABLE_DENIED',
      `The login user "${open.user}" may not write ${table} (and ${open.names.table}_history). ${permissionHint(`permission denied for table ${table}`, open.user, open.names.schema)}`,
    );
  }
  if (open.schemaExists && !open.versionTableExists && !open.may.createInSchema) {
    throw new DatabaseError(
      'SCHEMA_DENIED',
      `The login user "${open.user}" may not create objects in schema "${open.names.schema}" (the version table first). ${permissionHint(`permission denied for schema ${open.names.schema}`, open.user, open.names.schema)}`,
    );
  }
}

/**
 * What to do about version-table ids no file defines: most often the database was migrated by
 * Alembic, and a baseline with that id carries on from there.
 */
export function unknownRevisionHint(unknown: readonly string[]): string {
  const id = unknown.length === 1 ? unknown[0]! : '<id>';
  return `If Alembic wrote it, make it Retort's baseline: migrate revision --autogenerate --baseline --rev-id ${id} -m "baseline" (README "Moving from Alembic"). Otherwise check out the revisions that database was migrated with, or "migrate stamp --purge <rev>" if you know where it really is.`;
}

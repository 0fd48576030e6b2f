import { DatabaseError } from '../errors';
import type { OpenTarget } from '../target/open-target';
import { targetName } from '../target/target-name';
import type { Project } from './project';

/** Refuses heads in the version table that no revision file defines. */
export function checkKnownHeads(project: Project, open: OpenTarget): void {
  const unknown = open.heads.filter((h) => !project.graph.get(h));
  if (unknown.length > 0) {
    throw new DatabaseError(
      'UNKNOWN_DATABASE_REVISION',
      `${targetName(open.target)} is at revision ${unknown.join(', ')}, which no file in ${project.config.scriptLocation} defines. ${unknownRevisionHint(unknown)}`,
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

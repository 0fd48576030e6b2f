import { sql } from 'kysely';
import type { Target } from '../config/target';
import { ConfigError } from '../errors';
import { ensureVersionTables, replaceHeads } from '../runtime/version-table';
import { withTarget } from '../target/open-target';
import type { SessionCache } from '../target/session-cache';
import { targetName } from '../target/target-name';
import type { Output } from './output';
import { checkKnownHeads, checkWritable } from './preflight';
import type { Project } from './project';
import { changingTarget } from './target-options';

export interface StampOptions {
  readonly project: Project;
  readonly target: Target;
  /** Revisions to stamp; `base` empties the table, `heads` / `head` as usual. */
  readonly revisions: readonly string[];
  /** Ignore whatever the table holds now (even revisions no file defines) and replace it. */
  readonly purge?: boolean;
  readonly lockTimeoutMs: number;
  readonly output: Output;
  readonly sessions?: SessionCache;
}

/**
 * Writes the version table without running any revision (Alembic's `stamp`): how a database whose
 * schema already matches a revision is adopted. Without `--purge`, heads on other branches stay.
 */
export async function stamp(options: StampOptions): Promise<{ target: string; from: readonly string[]; to: readonly string[] }> {
  const { project, target } = options;
  if (options.revisions.length === 0) throw new ConfigError('NO_REVISION', 'stamp needs at least one revision (or "base"). Example: migrate stamp head.');
  const ids = options.revisions.flatMap((r) => (r === 'base' ? [] : project.graph.resolve(r)));
  const stamped = project.graph.headsFor(ids);
  return withTarget(target, changingTarget(project, options), async (session) => {
    if (!session.schemaExists) {
      throw new ConfigError(
        'NO_SCHEMA',
        `Schema "${target.schema}" does not exist in ${targetName(target)}. Create it first ("migrate db init") or set SCHEMA_NAME.`,
      );
    }
    if (!options.purge) checkKnownHeads(project, session);
    checkWritable(session);
    // Heads on branches unrelated to the stamped revisions stay; related ones are replaced.
    const related = (h: string) => ids.some((id) => project.graph.isAncestorOrSelf(h, id) || project.graph.isAncestorOrSelf(id, h));
    const keep = options.purge || (options.revisions.includes('base') && ids.length === 0) ? [] : session.heads.filter((h) => !related(h));
    const after = project.graph.headsFor([...keep, ...stamped]);
    await sql.raw('BEGIN').execute(session.db);
    try {
      await ensureVersionTables(session.db, session.names);
      await replaceHeads(session.db, session.names, after, after.join(',') || 'base');
      await sql.raw('COMMIT').execute(session.db);
    } catch (e) {
      await sql
        .raw('ROLLBACK')
        .execute(session.db)
        .catch(() => undefined);
      throw e;
    }
    return { target: targetName(target), from: session.heads, to: after };
  });
}

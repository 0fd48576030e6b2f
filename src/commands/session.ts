import { sql, type Kysely } from 'kysely';
import { mark } from '../runtime/timings';
import type { Target } from '../config/target';
import { DatabaseError } from '../errors';
import { connect } from '../runtime/connection';
import type { ConnectionCache } from './connections';
import { acquireLock, releaseLock } from '../runtime/lock';
import { readHeads, type VersionTableNames } from '../runtime/version-table';
import type { Project } from './project';

/** How commands report progress; the CLI decides where it goes. */
export interface Output {
  /** One line of progress (a step, a warning about waiting). */
  line(text: string): void;
  warn(text: string): void;
}

export const quietOutput: Output = { line() {}, warn() {} };

/** An open, locked target. */
export interface Session {
  readonly target: Target;
  readonly db: Kysely<any>;
  readonly names: VersionTableNames;
  /** Heads in the version table; empty when it does not exist yet. */
  readonly heads: readonly string[];
  readonly versionTableExists: boolean;
  readonly schemaExists: boolean;
}

export interface SessionOptions {
  readonly baseDir: string;
  readonly versionTable: string;
  /** Take the (database, schema) advisory lock for the whole session. */
  readonly lock: boolean;
  readonly lockTimeoutMs: number;
  readonly output: Output;
  /** Embedded databases only: create the schema and SU role if missing (see ConnectOptions.provision). */
  readonly provision?: boolean;
  /** Reuse sessions across targets (multi-target commands). */
  readonly connections?: ConnectionCache;
}

import { targetName } from './target-name';
export { targetName };

/** Connects, locks (optionally), reads the heads, runs `fn`, and always releases and closes. */
export async function withSession<T>(target: Target, options: SessionOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const name = targetName(target);
  const connectOptions = {
    url: target.url,
    name: target.label ? `database ${target.label}` : 'the database',
    baseDir: options.baseDir,
    ...(options.provision ? { provision: { schemas: [target.schema], suRole: target.suRole } } : {}),
  };
  const cache = options.connections;
  const conn = cache ? await cache.acquire(connectOptions) : await connect(connectOptions);
  let reusable = true;
  let locked = false;
  try {
    const names = { schema: target.schema, table: options.versionTable };
    if (options.lock) {
      await acquireLock(conn.db, { schema: target.schema, name, timeoutMs: options.lockTimeoutMs, onWait: (m) => options.output.warn(m) });
      locked = true;
    }
    mark('connected');
    const schemaRow = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${target.schema}`.execute(conn.db);
    const schemaExists = (schemaRow.rows[0]?.n ?? 0) > 0;
    const heads = schemaExists ? await readHeads(conn.db, names) : undefined;
    return await fn({ target, db: conn.db, names, heads: heads ?? [], versionTableExists: heads !== undefined, schemaExists });
  } finally {
    if (locked) await releaseLock(conn.db, target.schema).catch(() => (reusable = false));
    if (cache && reusable) cache.release(target.url, conn);
    else if (cache) await cache.discard(conn);
    else await conn.close();
  }
}

/** Refuses heads in the version table that no revision file defines. */
export function checkKnownHeads(project: Project, session: Session): void {
  const unknown = session.heads.filter((h) => !project.graph.get(h));
  if (unknown.length > 0) {
    throw new DatabaseError(
      'UNKNOWN_DATABASE_REVISION',
      `${targetName(session.target)} is at revision ${unknown.join(', ')}, which no file in ${project.config.scriptLocation} defines. ${unknownRevisionHint(unknown)}`,
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

/**
 * Preflight for steps that call `asSuperuser`: the role is configured, exists, and the login user
 * may `SET ROLE` to it. Checked before any DDL runs.
 */
export async function checkSuperuser(db: Kysely<any>, suRole: string | undefined, revisions: readonly string[], name: string): Promise<void> {
  if (revisions.length === 0) return;
  const which = `Revision${revisions.length > 1 ? 's' : ''} ${revisions.join(', ')}`;
  if (!suRole) {
    throw new DatabaseError('NO_SU_ROLE', `${which} need${revisions.length > 1 ? '' : 's'} a superuser role and none is set. Set SU_ROLE_NAME, pass -x su_role=<role>, or set su_role_name in alembic.ini.`);
  }
  const r = await sql<{ exists: boolean; member: boolean | null }>`select exists (select 1 from pg_roles where rolname = ${suRole}) as exists,
      case when exists (select 1 from pg_roles where rolname = ${suRole}) then pg_has_role(session_user, ${suRole}, 'MEMBER') end as member`.execute(db);
  const row = r.rows[0];
  if (!row?.exists) throw new DatabaseError('SU_ROLE_MISSING', `Role "${suRole}" (SU_ROLE_NAME) does not exist in ${name}. Create it (migrate db init) or set SU_ROLE_NAME to an existing role.`);
  if (!row.member) throw new DatabaseError('SU_ROLE_DENIED', `The login user may not SET ROLE "${suRole}" in ${name}, which ${which} need. GRANT "${suRole}" TO the login user, then run again.`);
}

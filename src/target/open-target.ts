import { sql, type Kysely } from 'kysely';
import type { Target } from '../config/target';
import { DatabaseError, RetortError } from '../errors';
import { mark } from '../timings';
import { isConnectionLost, lostReason } from './connection-lost';
import { connectionSettings } from './connection-settings';
import { acquireAdvisoryLock, migrationLockKey, releaseAdvisoryLock, type HeldLock } from './advisory-lock';
import { openSession, type OpenSessionOptions, type Session } from './session';
import type { SessionCache } from './session-cache';
import { databaseName, targetName } from './target-name';
import { readVersionTable, type VersionState, type VersionTableNames } from './version-table-reader';

export interface TargetOptions {
  /** The folder of alembic.ini: relative `embedded:` paths are relative to it. */
  readonly baseDir: string;
  /** The version table's name (`[alembic] version_table`), in the target schema. */
  readonly versionTable: string;
  /** Hold the (database, schema) migration lock for the whole of `fn`. */
  readonly lock: boolean;
  /** How long to wait for another command's lock. */
  readonly lockTimeoutMs: number;
  /** Told once when another command holds the lock, before waiting for it. */
  readonly onWait?: (message: string) => void;
  /** Reuse sessions across the targets of one command. */
  readonly sessions?: SessionCache;
  /**
   * A step of the command's own, run on the open session before the lock is taken: for example
   * provisioning an embedded database (connecting never does that by itself).
   */
  readonly prepare?: (session: Session, target: Target) => Promise<void>;
  /** Where `PGCONNECT_TIMEOUT` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A target opened for a command. */
export interface OpenTarget {
  readonly target: Target;
  readonly session: Session;
  readonly db: Kysely<any>;
  readonly names: VersionTableNames;
  /** Heads in the version table; empty when it does not exist yet. */
  readonly heads: readonly string[];
  readonly versionTableExists: boolean;
  readonly schemaExists: boolean;
  /** The login user (`session_user`). */
  readonly user: string;
  /** What the login user may do (see {@link VersionState}). */
  readonly may: VersionState['may'];
}

/**
 * The one way a command opens a target (label x schema): start or join the embedded server,
 * connect, run the command's `prepare` step, take the migration lock (optionally), read the
 * heads, run `fn`, and always release the lock and give the session back (or close it).
 *
 * @example
 * ```ts
 * await withTarget(target, { baseDir: config.dir, versionTable: 'alembic_version', lock: true, lockTimeoutMs: 60_000 },
 *   async (t) => t.heads); // ['e6f1b3a5d7c9']
 * ```
 */
export async function withTarget<T>(target: Target, options: TargetOptions, fn: (open: OpenTarget) => Promise<T>): Promise<T> {
  const sessionOptions: OpenSessionOptions = {
    settings: connectionSettings(target.url, options.env ?? process.env),
    name: databaseName(target),
    baseDir: options.baseDir,
  };
  const cache = options.sessions;
  const session = cache ? await cache.acquire(sessionOptions) : await openSession(sessionOptions);
  let reusable = true;
  let lock: HeldLock | undefined;
  try {
    if (options.prepare) await options.prepare(session, target);
    if (options.lock) {
      await noticeDeadClient(session.db);
      lock = await acquireAdvisoryLock(session.db, migrationLockKey(target.schema), {
        what: `the migration lock on ${targetName(target)}`,
        database: databaseName(target),
        timeoutMs: options.lockTimeoutMs,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      });
    }
    mark('connected');
    const names = { schema: target.schema, table: options.versionTable };
    const state = await readVersionTable(session.db, names);
    return await fn({
      target,
      session,
      db: session.db,
      names,
      heads: state.heads ?? [],
      versionTableExists: state.heads !== undefined,
      schemaExists: state.schemaExists,
      user: state.user,
      may: state.may,
    });
  } catch (error) {
    reusable = false;
    if (!(error instanceof RetortError) && (session.lost || isConnectionLost(error))) {
      throw new DatabaseError(
        'CONNECTION_LOST',
        `The connection to ${databaseName(target)} was lost (${lostReason(error)}) while working on ${targetName(target)}; the server rolled back what was not committed. Run the command again when the server is back.`,
        { cause: error, exitCode: 1 },
      );
    }
    throw error;
  } finally {
    if (lock) await releaseAdvisoryLock(session.db, lock).catch(() => (reusable = false));
    if (cache && reusable && !session.lost) cache.release(target.url, session);
    else if (cache) await cache.discard(session);
    else await session.close();
  }
}

/**
 * Asks the server to check every second whether the client is still there while a statement
 * runs (PostgreSQL 14 and later), so a command killed with kill -9 does not leave its backend
 * running its statement, and holding the lock, until the statement ends.
 */
async function noticeDeadClient(db: Kysely<any>): Promise<void> {
  await sql`select set_config('client_connection_check_interval', '1000', false)
    where current_setting('server_version_num')::int >= 140000`.execute(db);
}

/**
 * Creates the target schema if it is missing: `create schema if not exists "crmp"` (in the
 * caller's transaction, if any). The one place a command creates its target schema.
 */
export async function createTargetSchema(db: Kysely<any>, schema: string): Promise<void> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
}

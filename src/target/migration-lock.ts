import { sql, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';

/** First key of Retort's advisory locks ('RETR'); the second is `hashtext(schema)`. */
const LOCK_CLASS = 0x52455452;

export interface LockOptions {
  readonly schema: string;
  /** How to name the target in messages, e.g. `dev:crmp`. */
  readonly name: string;
  /** Give up after this many milliseconds of waiting. */
  readonly timeoutMs: number;
  /** Called once when the lock is busy, before waiting. */
  readonly onWait?: (message: string) => void;
}

/**
 * Takes the session-level advisory lock of (database, schema) for the whole command. Advisory
 * locks are per database, so different schemas of one database do not block each other.
 * A busy lock is awaited with PostgreSQL's own `lock_timeout`, not by polling.
 *
 * SQL: `select pg_try_advisory_lock(1380275282, hashtext('crmp'))`, then if busy
 * `set lock_timeout = '60000ms'; select pg_advisory_lock(1380275282, hashtext('crmp'))`.
 */
export async function acquireLock(db: Kysely<any>, options: LockOptions): Promise<void> {
  const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LOCK_CLASS}, hashtext(${options.schema})) as ok`.execute(db);
  if (got.rows[0]?.ok) return;
  const holder = await sql<{ pid: number }>`select pid from pg_locks
    where locktype = 'advisory' and granted and classid = ${LOCK_CLASS}::oid
      and objid = hashtext(${options.schema})::oid and database = (select oid from pg_database where datname = current_database())
    limit 1`.execute(db);
  const pid = holder.rows[0]?.pid;
  options.onWait?.(
    `Waiting for the migration lock on ${options.name}${pid ? ` (held by backend pid ${pid})` : ''}, up to ${Math.round(options.timeoutMs / 1000)} s...`,
  );
  await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(options.timeoutMs))}ms`}, false)`.execute(db);
  try {
    await sql`select pg_advisory_lock(${LOCK_CLASS}, hashtext(${options.schema}))`.execute(db);
  } catch (cause) {
    throw new DatabaseError(
      'LOCK_TIMEOUT',
      `Another migration holds the lock on ${options.name}${pid ? ` (backend pid ${pid})` : ''}; gave up after ${Math.round(options.timeoutMs / 1000)} s. Wait for it to finish or raise --lock-timeout.`,
      { cause },
    );
  } finally {
    await sql`select set_config('lock_timeout', '0', false)`.execute(db).catch(() => undefined);
  }
}

export async function releaseLock(db: Kysely<any>, schema: string): Promise<void> {
  await sql`select pg_advisory_unlock(${LOCK_CLASS}, hashtext(${schema}))`.execute(db);
}

import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DatabaseError, describeError } from '../errors';
import { isConnectionLost, lostReason } from './connection-lost';
import { InterruptedError, interruptedBy } from './interrupt';

/**
 * The key of a target's migration lock: 64 bits of md5(database || '.' || schema), computed by the
 * server. Two targets collide only if their md5s share 64 bits: never in practice (the old key,
 * `hashtext(schema)`, had 32 and no database, and schemas h23837 and h378957 shared it).
 */
export function migrationLockKey(schema: string): RawBuilder<string> {
  return sql<string>`('x' || left(md5(current_database() || '.' || ${schema}), 16))::bit(64)::bigint`;
}

/** The advisory lock a command holds: its key as text (a bigint), for the release. */
export interface HeldLock {
  readonly key: string;
}

export interface LockOptions {
  /** What is locked, for messages: `the migration lock on dev:crmp`. */
  readonly what: string;
  /** How the database is named in messages: `database dev`. */
  readonly database: string;
  /** Give up after this many milliseconds of waiting. */
  readonly timeoutMs: number;
  /** Called once when the lock is busy, before waiting, with the line to show. */
  readonly onWait?: (message: string) => void;
}

/** The first wait between two attempts; it grows by half each time, up to {@link MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 25;
const MAX_DELAY_MS = 500;

/**
 * Takes a session-level advisory lock, waiting for it without holding a snapshot: each attempt
 * is one short `pg_try_advisory_lock` and the wait between attempts happens in the client. A
 * waiter parked in `pg_advisory_lock()` holds a snapshot all along, which a `CREATE INDEX
 * CONCURRENTLY` in the lock's holder must wait for: a deadlock.
 *
 * SQL: `select pg_try_advisory_lock(k)` until it returns true; once busy, one query of pg_locks
 * and pg_stat_activity names the holder.
 *
 * @example
 * ```ts
 * const lock = await acquireAdvisoryLock(db, migrationLockKey('crmp'), { what: 'the migration lock on dev:crmp', database: 'database dev', timeoutMs: 60_000 });
 * try { ... } finally { await releaseAdvisoryLock(db, lock); }
 * ```
 * @throws DatabaseError `LOCK_TIMEOUT` after `timeoutMs`; `LOCK_WAIT_CANCELLED` when the server
 *   cancelled an attempt; `CONNECTION_LOST` when the connection ended while waiting;
 *   InterruptedError after Ctrl-C.
 */
export async function acquireAdvisoryLock(db: Kysely<any>, key: RawBuilder<string>, options: LockOptions): Promise<HeldLock> {
  const started = Date.now();
  let holder: Holder | undefined;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(Math.round(delay * 1.5), MAX_DELAY_MS)) {
    let got: { key: string; ok: boolean };
    try {
      got = (await sql<{ key: string; ok: boolean }>`select k::text as key, pg_try_advisory_lock(k) as ok from (select ${key} as k) s`.execute(db)).rows[0]!;
    } catch (cause) {
      throw waitFailed(cause, options, started);
    }
    if (got.ok) return { key: got.key };
    const signal = interruptedBy();
    if (signal) throw new InterruptedError(signal, `Interrupted (${signal}) while waiting for ${options.what}; nothing was changed.`);
    if (holder === undefined) {
      holder = await findHolder(db, got.key).catch(() => ({}));
      options.onWait?.(`Waiting for ${options.what}${holderDetail(holder)}, up to ${seconds(options.timeoutMs)} s...`);
    }
    const left = started + options.timeoutMs - Date.now();
    if (left <= 0) {
      const running = holder.query ? `, running "${oneLine(holder.query, 60)}"` : '';
      throw new DatabaseError(
        'LOCK_TIMEOUT',
        `Another command holds ${options.what}${holder.pid ? ` (backend pid ${holder.pid}${running})` : ''}; gave up after ${seconds(options.timeoutMs)} s. Wait for it to finish or raise --lock-timeout.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}

export async function releaseAdvisoryLock(db: Kysely<any>, lock: HeldLock): Promise<void> {
  await sql`select pg_advisory_unlock(${lock.key}::bigint)`.execute(db);
}

interface Holder {
  readonly pid?: number;
  readonly application?: string;
  readonly connected?: Date;
  readonly query?: string;
  readonly since?: Date;
}

/** The backend holding a bigint advisory lock (pg_locks splits the key into classid, objid). */
async function findHolder(db: Kysely<any>, key: string): Promise<Holder> {
  const rows = await sql<{ pid: number; application: string; connected: Date; query: string; since: Date | null }>`
    select a.pid, a.application_name as application, a.backend_start as connected, a.query,
           case when a.state = 'active' then a.query_start end as since
      from pg_locks l
      join pg_stat_activity a on a.pid = l.pid   -- what the holder is doing
     where l.locktype = 'advisory' and l.granted and l.objsubid = 1
       and l.database = (select oid from pg_database where datname = current_database())
       and l.classid = ((${key}::bigint >> 32) & 4294967295)::oid
       and l.objid = (${key}::bigint & 4294967295)::oid
     limit 1`.execute(db);
  const row = rows.rows[0];
  if (!row) return {};
  return { pid: row.pid, application: row.application, connected: row.connected, query: row.query, ...(row.since ? { since: row.since } : {}) };
}

/** `, held by backend pid 4711 (retort, connected at 12:00:01; running since 12:00:02: select ...)` */
function holderDetail(h: Holder): string {
  if (!h.pid) return '';
  const parts = [h.application || 'no application name', h.connected ? `connected at ${clock(h.connected)}` : ''].filter(Boolean).join(', ');
  const running = h.since && h.query ? `; running since ${clock(h.since)}: ${oneLine(h.query, 100)}` : '; idle';
  return `, held by backend pid ${h.pid} (${parts}${running})`;
}

function waitFailed(cause: unknown, options: LockOptions, started: number): Error {
  const signal = interruptedBy();
  if (signal) return new InterruptedError(signal, `Interrupted (${signal}) while waiting for ${options.what}; nothing was changed.`, { cause });
  if (isConnectionLost(cause)) {
    return new DatabaseError(
      'CONNECTION_LOST',
      `The connection to ${options.database} was lost while waiting for ${options.what} (${lostReason(cause)}); nothing was changed. Run the command again when the server is back.`,
      { cause, exitCode: 1 },
    );
  }
  if ((cause as { code?: string }).code === '57014') {
    return new DatabaseError(
      'LOCK_WAIT_CANCELLED',
      `The wait for ${options.what} was cancelled by the server (${describeError(cause)}) after ${((Date.now() - started) / 1000).toFixed(1).replace(/\.0$/, '')} s; nothing was changed. Run the command again.`,
      { cause, exitCode: 1 },
    );
  }
  return cause instanceof Error ? cause : new Error(String(cause));
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

/** `12:00:01` in local time. */
function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

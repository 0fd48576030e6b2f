import { sql, type Kysely } from 'kysely';
import { quoteIdent } from '../schema/sql-text';
import { searchPathSetting } from '../target/search-path';
import type { VersionTableNames } from '../target/version-table-reader';

export type { VersionTableNames };

/**
 * The history table has no serial id on purpose: a sequence advances even in a rolled-back
 * transaction, and a failed command must leave the database exactly as it was.
 *
 * The version table has Alembic's layout, so a database Alembic manages today is adopted as is:
 * `<schema>.alembic_version (version_num varchar(32) primary key)`, one row per current head.
 * Beside it, an append-only `<table>_history` records every step for audits.
 */
export function historyTable(names: VersionTableNames): string {
  return `${names.table}_history`;
}

/** Creates the version and history tables if missing (inside the caller's transaction). */
export async function ensureVersionTables(db: Kysely<any>, names: VersionTableNames, options: { offline?: boolean } = {}): Promise<void> {
  // Online, only what is missing is created: CREATE TABLE IF NOT EXISTS needs CREATE on the
  // schema even when the table exists, and an adopted Alembic schema has no history table yet.
  let missing = { table: true, history: true };
  if (!options.offline) {
    const found = await sql<{
      table: boolean;
      history: boolean;
    }>`select to_regclass(${quoteIdent(names.schema) + '.' + quoteIdent(names.table)}) is null as table,
      to_regclass(${quoteIdent(names.schema) + '.' + quoteIdent(historyTable(names))}) is null as history`.execute(db);
    missing = found.rows[0]!;
  }
  if (missing.table) {
    await sql`create table if not exists ${sql.id(names.schema, names.table)} (
    version_num varchar(32) not null,
    constraint ${sql.id(names.table + '_pkc')} primary key (version_num)
  )`.execute(db);
  }
  if (missing.history) {
    await sql`create table if not exists ${sql.id(names.schema, historyTable(names))} (
    revision varchar(32) not null,
    direction varchar(9) not null check (direction in ('upgrade', 'downgrade', 'stamp')),
    applied_at timestamptz not null default clock_timestamp(),
    db_user name not null default session_user,
    role_used name not null default current_user,
    duration_ms integer
  )`.execute(db);
  }
}

/** One row of the history table. */
export interface HistoryRow {
  readonly revision: string;
  readonly direction: 'upgrade' | 'downgrade' | 'stamp';
  /** The role the step's DDL ran under when it differs from the login user (asSuperuser). */
  readonly roleUsed: string | undefined;
  readonly durationMs: number | undefined;
}

export interface HeadsChange {
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** History rows for the steps that led from `before` to `after`, in order. */
  readonly history: readonly HistoryRow[];
  /** Set `search_path` back to this schema (then public) in the same statement: saves a round trip. */
  readonly searchPathSchema?: string;
}

/**
 * Moves the version table from `before` to `after` heads and appends the history rows, in one
 * statement: one round trip however many steps it records.
 *
 * SQL (schema `crmp`, steps a -> b -> c):
 * ```sql
 * with d as (delete from "crmp"."alembic_version" where version_num = any($1)),
 *      i as (insert into "crmp"."alembic_version" (version_num) select unnest($2::text[])),
 *      h as (insert into "crmp"."alembic_version_history" (revision, direction, role_used, duration_ms)
 *            values ($3, $4, current_user, $5), ($6, $7, current_user, $8))
 * select 1
 * ```
 */
export async function writeHeads(db: Kysely<any>, names: VersionTableNames, change: HeadsChange): Promise<void> {
  const removed = change.before.filter((h) => !change.after.includes(h));
  const added = change.after.filter((h) => !change.before.includes(h));
  const table = sql.id(names.schema, names.table);
  const history = sql.id(names.schema, historyTable(names));
  const rows = change.history.map(
    (h) => sql`(${h.revision}, ${h.direction}, ${h.roleUsed === undefined ? sql`current_user` : sql`${h.roleUsed}`}, ${h.durationMs ?? null}::int)`,
  );
  const hist = rows.length === 0 ? sql`` : sql`, h as (insert into ${history} (revision, direction, role_used, duration_ms) values ${sql.join(rows)})`;
  const tail = change.searchPathSchema === undefined ? sql`select 1` : sql`select ${searchPathSetting(change.searchPathSchema)}`;
  await sql`with d as (delete from ${table} where version_num = any(${removed}::text[])),
    i as (insert into ${table} (version_num) select unnest(${added}::text[]))${hist}
    ${tail}`.execute(db);
}

/** Replaces all heads at once (`stamp --purge` and offline output use this plain form). */
export async function replaceHeads(db: Kysely<any>, names: VersionTableNames, heads: readonly string[], historyNote: string): Promise<void> {
  const table = sql.id(names.schema, names.table);
  await sql`delete from ${table}`.execute(db);
  for (const h of heads) await sql`insert into ${table} (version_num) values (${h})`.execute(db);
  await sql`insert into ${sql.id(names.schema, historyTable(names))} (revision, direction) values (${historyNote}, 'stamp')`.execute(db);
}

/**
 * Plain statements for offline output: what {@link writeHeads} does, in the form a DBA expects
 * from Alembic (`UPDATE alembic_version SET version_num=...` for a linear step).
 */
export async function writeHeadsOffline(db: Kysely<any>, names: VersionTableNames, change: HeadsChange): Promise<void> {
  const table = sql.id(names.schema, names.table);
  const removed = change.before.filter((h) => !change.after.includes(h));
  const added = change.after.filter((h) => !change.before.includes(h));
  if (removed.length === 1 && added.length === 1) {
    await sql`update ${table} set version_num = ${added[0]!} where version_num = ${removed[0]!}`.execute(db);
  } else {
    for (const r of removed) await sql`delete from ${table} where version_num = ${r}`.execute(db);
    for (const a of added) await sql`insert into ${table} (version_num) values (${a})`.execute(db);
  }
  for (const h of change.history) {
    const role = h.roleUsed === undefined ? sql`current_user` : sql`${h.roleUsed}`;
    await sql`insert into ${sql.id(names.schema, historyTable(names))} (revision, direction, role_used) values (${h.revision}, ${h.direction}, ${role})`.execute(
      db,
    );
  }
}

import { sql, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';
import { quoteIdent } from '../schema/sql-text';
import { permissionHint } from './privileges';

/** Where a target's version table is: `<schema>.<table>` (`crmp.alembic_version`). */
export interface VersionTableNames {
  readonly schema: string;
  readonly table: string;
}

/** What a target's version table says. */
export interface VersionState {
  readonly schemaExists: boolean;
  /** The revisions in the version table (sorted); `undefined` when the table does not exist yet. */
  readonly heads: string[] | undefined;
  /** The login user (`session_user`), for messages that name a grant. */
  readonly user: string;
  /** What the login user may do, for the preflight of commands that change the target. */
  readonly may: {
    /**
     * Write the version table (INSERT, DELETE) and its history (INSERT, or CREATE on the schema
     * when the history table is missing); true when the version table does not exist yet.
     */
    readonly writeVersionTable: boolean;
    /** Create objects in the schema (the version table, when it is missing, and most revisions). */
    readonly createInSchema: boolean;
  };
}

/**
 * Reads a version table: the one reader of it (the runtime writes it). Alembic's layout, one row
 * per head. Two statements, none when the schema or table is missing.
 *
 * SQL (schema `crmp`):
 * ```sql
 * select exists (... pg_namespace where nspname = 'crmp') as schema_exists,
 *        exists (... pg_class join pg_namespace ... relname = 'alembic_version') as table_exists;
 * select version_num from "crmp"."alembic_version" order by version_num;
 * ```
 * @example
 * ```ts
 * await readVersionTable(db, { schema: 'crmp', table: 'alembic_version' }) // { schemaExists: true, heads: ['e6f1b3a5d7c9'] }
 * ```
 */
export async function readVersionTable(db: Kysely<any>, names: VersionTableNames): Promise<VersionState> {
  const qualified = `${quoteIdent(names.schema)}.${quoteIdent(names.table)}`;
  const history = `${quoteIdent(names.schema)}.${quoteIdent(`${names.table}_history`)}`;
  const found = await sql<{
    schema_exists: boolean;
    table_exists: boolean;
    user: string;
    columns: string[] | null;
    may_read: boolean | null;
    may_write: boolean | null;
    may_create: boolean | null;
  }>`
    select exists (select 1 from pg_namespace where nspname = ${names.schema}) as schema_exists,
           t.oid is not null as table_exists,
           session_user as user,
           -- the table's columns: Alembic's layout has version_num
           (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
             where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped) as columns,
           case when t.oid is not null then has_table_privilege(t.oid, 'SELECT') end as may_read,
           case when t.oid is not null then has_table_privilege(t.oid, 'INSERT') and has_table_privilege(t.oid, 'DELETE')
                -- the history table: written beside it, or created on the first change (an adopted Alembic schema)
                and coalesce(has_table_privilege(to_regclass(${history}), 'INSERT'), has_schema_privilege(${names.schema}, 'CREATE')) end as may_write,
           case when exists (select 1 from pg_namespace where nspname = ${names.schema})
                then has_schema_privilege(${names.schema}, 'CREATE') end as may_create
      from (select 1) one
      -- the version table, if there is one
      left join (select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = ${names.schema} and c.relname = ${names.table}) t on true`.execute(db);
  const row = found.rows[0]!;
  const may = { writeVersionTable: row.may_write ?? true, createInSchema: row.may_create ?? false };
  if (!row.schema_exists || !row.table_exists) return { schemaExists: row.schema_exists, heads: undefined, user: row.user, may };
  if (!(row.columns ?? []).includes('version_num')) {
    throw new DatabaseError(
      'VERSION_TABLE_LAYOUT',
      `${qualified} is not a version table in Alembic's layout: it has no version_num column (its columns: ${(row.columns ?? []).join(', ') || 'none'}). Set version_table in alembic.ini to the table that holds the revisions, or rename this one.`,
    );
  }
  if (!row.may_read) {
    throw new DatabaseError(
      'VERSION_TABLE_DENIED',
      `The login user "${row.user}" may not read ${qualified}. ${permissionHint(`permission denied for table ${names.table}`, row.user, names.schema)}`,
    );
  }
  const rows = await sql<{ version_num: string }>`select version_num from ${sql.id(names.schema, names.table)} order by version_num`.execute(db);
  return { schemaExists: true, heads: rows.rows.map((r) => r.version_num), user: row.user, may };
}

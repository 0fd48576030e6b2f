import { sql, type Kysely } from 'kysely';

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
  const found = await sql<{ schema_exists: boolean; table_exists: boolean }>`
    select exists (select 1 from pg_namespace where nspname = ${names.schema}) as schema_exists,
           exists (select 1 from pg_class c
                     join pg_namespace n on n.oid = c.relnamespace  -- the table's schema
                    where n.nspname = ${names.schema} and c.relname = ${names.table}) as table_exists`.execute(db);
  const row = found.rows[0]!;
  if (!row.schema_exists || !row.table_exists) return { schemaExists: row.schema_exists, heads: undefined };
  const rows = await sql<{ version_num: string }>`select version_num from ${sql.id(names.schema, names.table)} order by version_num`.execute(db);
  return { schemaExists: true, heads: rows.rows.map((r) => r.version_num) };
}

import { sql, type Kysely } from 'kysely';

/**
 * Drops the INVALID indexes of a schema that no backend is building: what a `CREATE INDEX
 * CONCURRENTLY` leaves when it fails, is cancelled or loses its client. Left in place, the
 * revision that creates the index fails on "relation already exists" when it runs again, and
 * writes to the table keep maintaining an index nothing can use. Runs outside a transaction
 * (DROP INDEX CONCURRENTLY cannot run in one); returns the names dropped.
 *
 * SQL: `select ... from pg_index ... where not indisvalid and no row in pg_stat_progress_create_index`,
 * then `drop index concurrently if exists "crmp"."ix"` for each.
 */
export async function dropInvalidIndexes(db: Kysely<any>, schema: string): Promise<string[]> {
  const found = await sql<{ name: string }>`
    select c.relname as name
      from pg_index i
      join pg_class c on c.oid = i.indexrelid          -- the index itself
      join pg_namespace n on n.oid = c.relnamespace    -- its schema
     where n.nspname = ${schema} and not i.indisvalid
       and not exists (select 1 from pg_stat_progress_create_index p where p.index_relid = i.indexrelid)
     order by 1`.execute(db);
  const dropped: string[] = [];
  for (const { name } of found.rows) {
    await sql`drop index concurrently if exists ${sql.id(schema, name)}`.execute(db);
    dropped.push(name);
  }
  return dropped;
}

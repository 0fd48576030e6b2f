import { sql } from 'kysely';
import { connectionSettings } from '../target/connection-settings';
import { openSession } from '../target/session';
import { databaseName } from '../target/target-name';
import { globToLike } from './fleet';

/**
 * The existing schemas of one database that match any of `patterns` (`*`, `?` wildcards),
 * excluding PostgreSQL's own (`pg_*`, `information_schema`).
 */
export async function listSchemas(options: { url: string; label: string | undefined; baseDir: string; patterns: readonly string[] }): Promise<string[]> {
  const conn = await openSession({ settings: connectionSettings(options.url, process.env), name: databaseName(options), baseDir: options.baseDir });
  try {
    const likes = options.patterns.map(globToLike);
    const rows = await sql<{ nspname: string }>`select nspname from pg_namespace
      where nspname not like 'pg\\_%' and nspname <> 'information_schema'
        and nspname like any (${likes}::text[])
      order by nspname`.execute(conn.db);
    return rows.rows.map((r) => r.nspname);
  } finally {
    await conn.close();
  }
}

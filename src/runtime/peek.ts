import { Client } from 'pg';
import { connectionError } from './connection-error';

/**
 * Reads a target's version table with a bare `pg` client: `current` needs two queries, and
 * not loading Kysely keeps the whole command well under a quarter of a second.
 *
 * SQL: `select exists (...pg_namespace...), to_regclass('"crmp"."alembic_version"')`, then
 * `select version_num from "crmp"."alembic_version"`.
 */
export async function peekVersion(options: {
  url: string;
  name: string;
  baseDir: string;
  schema: string;
  table: string;
}): Promise<{ schemaExists: boolean; heads: string[] | undefined }> {
  let url = options.url;
  let stop: (() => Promise<void>) | undefined;
  if (url.startsWith('embedded:')) {
    const embedded = require('../embedded/embedded-server') as typeof import('../embedded/embedded-server');
    const server = await embedded.startEmbeddedServer({ dataDir: embedded.parseEmbeddedUrl(url, options.baseDir).dataDir });
    url = server.url;
    stop = () => server.stop();
  }
  const client = new Client({ connectionString: url, application_name: 'retort' });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (cause) {
      throw connectionError({ url: options.url, name: options.name }, cause);
    }
    const qualified = `${quote(options.schema)}.${quote(options.table)}`;
    const first = await client.query<{ schema_exists: boolean; table: string | null }>(
      'select exists (select 1 from pg_namespace where nspname = $1) as schema_exists, to_regclass($2)::text as table',
      [options.schema, qualified],
    );
    const row = first.rows[0]!;
    if (!row.schema_exists || !row.table) return { schemaExists: row.schema_exists, heads: undefined };
    const rows = await client.query<{ version_num: string }>(`select version_num from ${qualified} order by version_num`);
    return { schemaExists: true, heads: rows.rows.map((r) => r.version_num) };
  } finally {
    await client.end().catch(() => undefined);
    if (stop) await stop();
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

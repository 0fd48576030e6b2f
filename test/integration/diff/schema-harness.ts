/** Helpers shared by the diff integration tests: load SQL, list schemas, apply, pg_dump. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { readSnapshot } from '../../../src/catalog/read-snapshot';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import type { Operation } from '../../../src/operations/operation';
import { renderSql } from '../../../src/render/render-sql';
import type { Snapshot } from '../../../src/schema/snapshot';
import { withClient } from '../../support/database';

const run = promisify(execFile);

/** Runs SQL text (several statements) against a database. */
export async function execSql(url: string, sql: string): Promise<void> {
  if (sql.trim() === '') return;
  await withClient(url, async (c) => {
    await c.query(sql);
  });
}

/** Schemas a user made (not the system's). */
export async function userSchemas(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const r = await c.query<{ nspname: string }>(
      `select nspname from pg_namespace
        where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
          and nspname not like 'pg\\_temp\\_%' and nspname not like 'pg\\_toast\\_temp\\_%'
        order by nspname`,
    );
    return r.rows.map((row) => row.nspname);
  });
}

/** The role the migra cases grant to; cluster-wide, so created once and never dropped. */
export async function ensureRole(url: string, role: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`do $$ begin create role "${role}"; exception when duplicate_object then null; end $$`);
  });
}

export interface SchemaDiff {
  readonly schema: string;
  readonly operations: Operation[];
  readonly sql: string;
}

/** Reads one schema of a database into a snapshot, on a connection of its own. */
export async function readSchema(url: string, schema: string): Promise<Snapshot> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
  try {
    return await readSnapshot(db, schema);
  } finally {
    await db.destroy();
  }
}

/** Diffs every schema present in either database, schema by schema. */
export async function diffDatabases(fromUrl: string, toUrl: string, schemas: readonly string[]): Promise<SchemaDiff[]> {
  return Promise.all(
    schemas.map(async (schema) => {
      const [from, to] = await Promise.all([readSchema(fromUrl, schema), readSchema(toUrl, schema)]);
      const operations = diffSnapshots(from, to);
      return { schema, operations, sql: renderSql(operations, { schema }) };
    }),
  );
}

/** pg_dump --schema-only, with comments, SET lines and line order taken out. */
export async function normalizedDump(url: string): Promise<string[]> {
  const pgDump = process.env.PG_DUMP ?? 'pg_dump';
  const { stdout } = await run(pgDump, ['--schema-only', '--no-owner', `--dbname=${url}`], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => line.replace(/,\s*$/, '').trim())
    .filter(
      (line) =>
        line.length > 0 &&
        !line.startsWith('--') &&
        !/^SET /.test(line) &&
        !line.startsWith('SELECT pg_catalog.set_config') &&
        !line.startsWith('\\restrict') &&
        !line.startsWith('\\unrestrict'),
    )
    .sort();
}

/** Lines in one dump and not the other, for assertion messages. */
export function dumpDifference(a: readonly string[], b: readonly string[]): string {
  const count = (lines: readonly string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const out: string[] = [];
  for (const [l, n] of ca) if ((cb.get(l) ?? 0) < n) out.push(`- ${l}`);
  for (const [l, n] of cb) if ((ca.get(l) ?? 0) < n) out.push(`+ ${l}`);
  return out.join('\n');
}

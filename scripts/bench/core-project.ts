/**
 * The core bench's project and helpers, shared by core-bench.ts and compare-builds.ts:
 * N revisions (BENCH_REVISIONS, default 1000), each one table of 5 columns and an index,
 * the same DDL as psql files, and the timing helpers (fresh databases, settle, medians).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { PACKAGE_NAME } from '../../src/package-info';

export const N = Number(process.env.BENCH_REVISIONS ?? 1000);
export const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'migrate.js');

export function ddlFor(i: number, schema: string): { up: string[]; down: string[] } {
  const t = `t${String(i).padStart(4, '0')}`;
  return {
    up: [
      `create table "${schema}"."${t}" (id serial primary key, name text not null, value numeric(10,2), created_at timestamptz default now(), flag boolean)`,
      `create index "${t}_name_idx" on "${schema}"."${t}" (name)`,
    ],
    down: [`drop table "${schema}"."${t}"`],
  };
}

export function writeProject(dir: string): void {
  fs.mkdirSync(path.join(dir, 'revisions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = revisions\n');
  let down: string | null = null;
  for (let i = 0; i < N; i++) {
    const id = i.toString(16).padStart(12, '0');
    const t = `t${String(i).padStart(4, '0')}`;
    fs.writeFileSync(
      path.join(dir, 'revisions', `${id}_create_${t}.ts`),
      `import type { MigrationContext } from '${PACKAGE_NAME}';
export const revision = '${id}';
export const downRevision = ${down === null ? 'null' : `'${down}'`};
export const message = 'create ${t}';
export async function upgrade(ctx: MigrationContext) {
  await ctx.db.schema.withSchema(ctx.schema).createTable('${t}')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'numeric(10, 2)')
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(ctx.sql\`now()\`))
    .addColumn('flag', 'boolean')
    .execute();
  await ctx.db.schema.withSchema(ctx.schema).createIndex('${t}_name_idx').on('${t}').column('name').execute();
}
export async function downgrade(ctx: MigrationContext) {
  await ctx.db.schema.withSchema(ctx.schema).dropTable('${t}').execute();
}
`,
    );
    down = id;
  }
}

export function dbUrl(name: string): string {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin(sqlText: string): Promise<void> {
  const c = new Client({ connectionString: SERVER });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

export function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stderr;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Before each timed run: write back dirty pages and checkpoint, so no run pays for the files the
 * previous one created (1000 tables make about 6000 files). Both sides get the same treatment.
 */
export async function settle(): Promise<void> {
  spawnSync('sync');
  await admin('checkpoint').catch(() => undefined);
  spawnSync('sync');
}

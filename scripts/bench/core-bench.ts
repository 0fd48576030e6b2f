/**
 * Issue "Retort core", speed targets. Run: `npm run build && npx tsx scripts/bench/core-bench.ts [rounds]`
 * (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: a server where databases may be created).
 *
 * 1000 revisions, each one table of 5 columns and an index, on an empty schema:
 *  - `migrate upgrade head` vs `psql -1 -f` of the same DDL (target <= 1.25x);
 *  - `migrate current` with those revisions present, whole process (target <= 0.25 s);
 *  - `migrate downgrade base` vs `psql -1 -f` of the drops (target <= 1.5x).
 * Runs are paired (A B A B), each on a fresh database; databases are dropped after all timing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

const N = Number(process.env.BENCH_REVISIONS ?? 1000);
const ROUNDS = Number(process.argv[2] ?? 3);
const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'migrate.js');

function ddlFor(i: number, schema: string): { up: string[]; down: string[] } {
  const t = `t${String(i).padStart(4, '0')}`;
  return {
    up: [
      `create table "${schema}"."${t}" (id serial primary key, name text not null, value numeric(10,2), created_at timestamptz default now(), flag boolean)`,
      `create index "${t}_name_idx" on "${schema}"."${t}" (name)`,
    ],
    down: [`drop table "${schema}"."${t}"`],
  };
}

function writeProject(dir: string): void {
  fs.mkdirSync(path.join(dir, 'revisions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = revisions\n');
  let down: string | null = null;
  for (let i = 0; i < N; i++) {
    const id = i.toString(16).padStart(12, '0');
    const t = `t${String(i).padStart(4, '0')}`;
    fs.writeFileSync(
      path.join(dir, 'revisions', `${id}_create_${t}.ts`),
      `import type { MigrationContext } from 'retort';
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

function dbUrl(name: string): string {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sqlText: string): Promise<void> {
  const c = new Client({ connectionString: SERVER });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-bench-'));
  writeProject(dir);
  const upSql = path.join(dir, 'up.sql');
  const downSql = path.join(dir, 'down.sql');
  const up: string[] = ['create schema if not exists bench;'];
  const down: string[] = [];
  for (let i = 0; i < N; i++) {
    const d = ddlFor(i, 'bench');
    up.push(...d.up.map((s) => s + ';'));
    down.unshift(...d.down.map((s) => s + ';'));
  }
  fs.writeFileSync(upSql, up.join('\n') + '\n');
  fs.writeFileSync(downSql, down.join('\n') + '\n');

  const created: string[] = [];
  const fresh = async (tag: string) => {
    const name = `retort_bench_${tag}_${process.pid}_${created.length}`;
    await admin(`create database ${name}`);
    created.push(name);
    return dbUrl(name);
  };
  // First runs fill the compiled-revision cache and warm the server: reported, not part of the pairs.
  const compile = time(() => run(process.execPath, [BIN, 'heads'], dir));
  const warm = await fresh('warm');
  const firstUpgrade = time(() => run(process.execPath, [BIN, '--url', warm, '-x', 'schema=bench', 'upgrade', '--create-schema', 'head'], dir));

  const psqlUp: number[] = [];
  const migUp: number[] = [];
  const psqlDown: number[] = [];
  const migDown: number[] = [];
  const current: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // A: psql -1 -f (the DDL floor), up then down.
      const a = await fresh('psql');
      psqlUp.push(time(() => run('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', upSql, a], dir)));
      psqlDown.push(time(() => run('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', downSql, a], dir)));
      // B: migrate, up then current then down.
      const b = await fresh('mig');
      migUp.push(time(() => run(process.execPath, [BIN, '--url', b, '-x', 'schema=bench', 'upgrade', '--create-schema', 'head'], dir)));
      for (let k = 0; k < 3; k++) current.push(time(() => run(process.execPath, [BIN, '--url', b, '-x', 'schema=bench', 'current'], dir)));
      migDown.push(time(() => run(process.execPath, [BIN, '--url', b, '-x', 'schema=bench', 'downgrade', 'base'], dir)));
    }
  } finally {
    for (const name of created) await admin(`drop database if exists ${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const nodeStart = median([0, 1, 2].map(() => time(() => execFileSync(process.execPath, ['-e', '0']))));
  const cliLoad = median([0, 1, 2].map(() => time(() => execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'commands', 'migrate.js'))})`]))));
  const f = (x: number) => `${(x / 1000).toFixed(3)} s`;
  console.log(`revisions: ${N}, rounds: ${ROUNDS} (paired, fresh database each)`);
  console.log(`first run compiling ${N} revisions into the cache: ${f(compile)}; first upgrade on a throwaway database: ${f(firstUpgrade)}`);
  console.log(`upgrade head:   migrate ${f(median(migUp))}  psql -1 -f ${f(median(psqlUp))}  ratio ${(median(migUp) / median(psqlUp)).toFixed(2)}x (target <= 1.25x)`);
  console.log(`downgrade base: migrate ${f(median(migDown))}  psql -1 -f ${f(median(psqlDown))}  ratio ${(median(migDown) / median(psqlDown)).toFixed(2)}x (target <= 1.5x)`);
  console.log(`current (whole process): ${f(median(current))} (target <= 0.25 s)`);
  console.log(`where the time goes: node start ${f(nodeStart)}, loading the upgrade code path ${f(cliLoad)}; round trips per step: 2 DDL + 1 bookkeeping (version row, history row, search_path in one statement)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

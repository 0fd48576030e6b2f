/**
 * Issue "Run a fleet", speed and scale. Run: `npm run build && npx tsx scripts/bench/fleet-bench.ts [rounds]`
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL: a server where databases may be created).
 *
 * 200 schemas x 10 revisions in one database: `upgrade head --jobs 8` vs `--jobs 1`, whole
 * process, paired (A B A B), each run on a fresh database; databases dropped after all timing.
 * Also prints where the time goes: process start and loading, connections opened, and the
 * per-target cost.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

const SCHEMAS = Number(process.env.BENCH_SCHEMAS ?? 200);
const REVISIONS = Number(process.env.BENCH_FLEET_REVISIONS ?? 10);
const ROUNDS = Number(process.argv[2] ?? 2);
const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'migrate.js');

function writeProject(dir: string): void {
  fs.mkdirSync(path.join(dir, 'revisions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = revisions\n');
  let down: string | null = null;
  for (let i = 0; i < REVISIONS; i++) {
    const id = `f${i.toString(16).padStart(11, '0')}`;
    fs.writeFileSync(
      path.join(dir, 'revisions', `${id}_t${i}.ts`),
      `export const revision = '${id}';
export const downRevision = ${down === null ? 'null' : `'${down}'`};
export const message = 'table t${i}';
export async function upgrade(ctx: any) {
  await ctx.db.schema.withSchema(ctx.schema).createTable('t${i}').addColumn('id', 'serial', (c: any) => c.primaryKey()).addColumn('name', 'text').execute();
  await ctx.db.schema.withSchema(ctx.schema).createIndex('t${i}_name_idx').on('t${i}').column('name').execute();
}
export async function downgrade(ctx: any) {
  await ctx.db.schema.withSchema(ctx.schema).dropTable('t${i}').execute();
}
`,
    );
    down = id;
  }
}

async function admin(url: string, text: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function dbUrl(name: string): string {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function timed(args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`migrate ${args.join(' ')} failed: ${r.stderr}\n${r.stdout.slice(-2000)}`);
  return ms;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-fleet-'));
  writeProject(dir);
  timed(['heads'], dir); // compile the revision cache once
  const created: string[] = [];
  const fresh = async () => {
    const name = `retort_fleet_${process.pid}_${created.length}`;
    await admin(SERVER, `create database ${name}`);
    created.push(name);
    const url = dbUrl(name);
    await admin(url, Array.from({ length: SCHEMAS }, (_, i) => `create schema tenant_${String(i).padStart(3, '0')};`).join('\n'));
    return url;
  };
  const j1: number[] = [];
  const j8: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      j1.push(timed(['--url', await fresh(), '--schemas', 'tenant_*', '--jobs', '1', 'upgrade', 'head'], dir));
      j8.push(timed(['--url', await fresh(), '--schemas', 'tenant_*', '--jobs', '8', 'upgrade', 'head'], dir));
    }
  } finally {
    for (const name of created) await admin(SERVER, `drop database if exists ${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${SCHEMAS} schemas x ${REVISIONS} revisions in one database, ${ROUNDS} paired rounds, fresh database each`);
  console.log(`--jobs 1: ${s(median(j1))}  (${(median(j1) / SCHEMAS).toFixed(1)} ms per target)`);
  console.log(`--jobs 8: ${s(median(j8))}  (${(median(j8) / SCHEMAS).toFixed(1)} ms per target)`);
  console.log(`speed-up --jobs 8 vs --jobs 1: ${(median(j1) / median(j8)).toFixed(2)}x on ${os.cpus().length} cores`);
  console.log(`connections: --jobs N opens N sessions (plus one to list the schemas) and reuses them across targets`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Building the CRMP reference schema four ways, on a server (BENCH_DATABASE_URL, TEST_DATABASE_URL,
 * or postgresql://postgres@127.0.0.1:5432/postgres). Run:
 * `npm run build && npx tsx scripts/bench/crmp-bench.ts [rounds]` (default 5).
 *
 * Paired runs in the order A B C D A B C D ..., each on a fresh database (created before its timing):
 *  A: `node bin/migrate.js --url <db> upgrade head --create-schema`, whole process (11 revisions);
 *  B: the library's `migrate()` in-process, same target (connect, lock, preflight, steps, close);
 *  C: `node bin/migrate.js --url <db> setup --create-schema`, whole process (createAll + stamp);
 *  D: `createAll(crmp)` in-process (connect, one transaction, close).
 * The project (revisions) is loaded once, untimed, for B. Databases and the SU role are dropped
 * after all timing.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool } from 'pg';
import { migrate } from '../../src/commands/migrate';
import { loadProject } from '../../src/commands/project';
import { quietOutput } from '../../src/commands/output';
import { loadConfig } from '../../src/config/load';
import { crmp } from '../../src/crmp';
import { createAll } from '../../src/model';

const ROUNDS = Number(process.argv[2] ?? 5);
const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'migrate.js');
const INI = path.join(ROOT, 'alembic.ini');
const SU = `retort_bench_su_${process.pid}`;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function admin(text: string): Promise<void> {
  const c = new Client({ connectionString: SERVER });
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

function cli(args: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, '-c', INI, '-x', `su_role=${SU}`, ...args], { cwd: ROOT, encoding: 'utf8' });
  const ms = elapsed(t0);
  if (r.status !== 0) throw new Error(`migrate ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const created: string[] = [];
  const fresh = async (tag: string): Promise<string> => {
    const name = `retort_crmpbench_${tag}_${process.pid}_${created.length}`;
    await admin(`create database "${name}"`);
    created.push(name);
    return dbUrl(name);
  };
  await admin(`create role "${SU}" nologin superuser`);
  const project = await loadProject(loadConfig({ cwd: ROOT }));
  cli(['heads']); // The revision cache is built before timing, as after any first run.

  const times = { upgradeCli: [] as number[], migrateLib: [] as number[], setupCli: [] as number[], createAll: [] as number[] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      times.upgradeCli.push(cli(['--url', await fresh('up'), 'upgrade', 'head', '--create-schema']));

      const b = await fresh('lib');
      let t0 = process.hrtime.bigint();
      await migrate({
        project,
        target: { label: undefined, url: b, schema: 'crmp', suRole: SU },
        revision: 'head',
        direction: 'up',
        createSchema: true,
        lockTimeoutMs: 60_000,
        output: quietOutput,
      });
      times.migrateLib.push(elapsed(t0));

      times.setupCli.push(cli(['--url', await fresh('setup'), 'setup', '--create-schema']));

      const d = await fresh('ca');
      t0 = process.hrtime.bigint();
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: d, max: 1 }) }) });
      await createAll(crmp, { db, schema: 'crmp', suRole: SU, createSchema: true });
      await db.destroy();
      times.createAll.push(elapsed(t0));
    }
  } finally {
    for (const name of created) await admin(`drop database if exists "${name}" with (force)`);
    await admin(`drop role if exists "${SU}"`);
  }
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  const nodeFloor = elapsed(t0);
  const row = (label: string, xs: readonly number[]) =>
    console.log(`${label.padEnd(44)} median ${median(xs).toFixed(0).padStart(5)} ms   (${xs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`CRMP reference schema on ${new URL(SERVER).host}; ${ROUNDS} paired rounds, fresh database each, ${os.cpus().length} CPUs`);
  row('A  upgrade head, CLI (whole process)', times.upgradeCli);
  row('B  migrate() to head, in-process', times.migrateLib);
  row('C  setup, CLI (whole process)', times.setupCli);
  row('D  createAll(crmp), in-process', times.createAll);
  const ratio = (a: readonly number[], b: readonly number[]) => (median(a) / median(b)).toFixed(2);
  console.log(
    `time ratios: upgrade head / setup (CLI) ${ratio(times.upgradeCli, times.setupCli)}; migrate() / createAll (in-process) ${ratio(times.migrateLib, times.createAll)}; node -e 0: ${nodeFloor.toFixed(0)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

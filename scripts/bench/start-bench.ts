/**
 * Whole-process start-up of the CLI as a user runs it: `migrate --version` and `migrate current`
 * through npx and through the bin (node_modules/.bin/migrate), for two or more installs, paired
 * (A B, then B A, ...) and reported as medians.
 *
 *   npm pack --pack-destination /tmp
 *   npx tsx scripts/bench/start-bench.ts [--rounds 15] /tmp/retort-0.1.0.tgz /tmp/retort-migrate-0.1.0.tgz
 *
 * Each argument is a packed tarball (installed with kysely@KYSELY, default 0.28.18, into a fresh
 * app in a temporary folder: needs the npm registry), an app folder that has it installed
 * already, or a `bin/migrate.js` (timed through node only, no npx rows). Each side gets a project
 * of one revision applied to a database of its own; every command runs twice untimed first, so
 * caches are warm. A command's exit code is shown beside its time (a build without --version
 * exits 2 on it, after the same start-up). Databases and temporary apps are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { admin, dbUrl, median } from './core-project';

interface Side {
  readonly label: string;
  readonly what: string;
  /** The folder commands run in (the app, which holds the project too). */
  readonly dir: string;
  /** The launcher: node_modules/.bin/migrate, or a bin/migrate.js run through node. */
  readonly bin: readonly string[];
  readonly npx: boolean;
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 15;
const KYSELY = process.env.KYSELY ?? '0.28.18';
if (args.length < 2) {
  console.error('usage: npx tsx scripts/bench/start-bench.ts [--rounds N] <tarball | app folder | bin/migrate.js> <...> [...]');
  process.exit(2);
}

const temps: string[] = [];
const databases: string[] = [];

function sh(cmd: string, argv: readonly string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: benchEnv() });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

/** No ambient target settings, and npx never asks. */
function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false', npm_config_loglevel: 'error' };
  for (const k of ['DATABASE_URL', 'SCHEMA_NAME', 'SU_ROLE_NAME', 'RETORT_TIMINGS']) delete env[k];
  return env;
}

function prepare(arg: string, index: number): Side {
  const label = String.fromCharCode(65 + index);
  const full = path.resolve(arg);
  if (full.endsWith('.tgz')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `retort-start-${label}-`));
    temps.push(dir);
    sh('npm', ['init', '-y'], dir);
    const r = sh('npm', ['install', '--no-audit', '--no-fund', full, `kysely@${KYSELY}`], dir);
    if (r.code !== 0) throw new Error(`npm install ${full} failed:\n${r.out}`);
    return { label, what: path.basename(full), dir, bin: [path.join(dir, 'node_modules', '.bin', 'migrate')], npx: true };
  }
  if (full.endsWith('.js')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `retort-start-${label}-`));
    temps.push(dir);
    return { label, what: full, dir, bin: [process.execPath, full], npx: false };
  }
  return { label, what: full, dir: full, bin: [path.join(full, 'node_modules', '.bin', 'migrate')], npx: true };
}

async function writeProject(side: Side, index: number): Promise<void> {
  const name = `retort_startbench_${process.pid}_${index}`;
  await admin(`create database ${name}`);
  databases.push(name);
  const client = new Client({ connectionString: dbUrl(name) });
  await client.connect();
  await client.query('create schema bench').finally(() => client.end());
  fs.writeFileSync(
    path.join(side.dir, 'alembic.ini'),
    `[alembic]\nscript_location = revisions\nschema_name = bench\n\n[bench]\nsqlalchemy.url = ${dbUrl(name)}\n`,
  );
  fs.mkdirSync(path.join(side.dir, 'revisions'), { recursive: true });
  fs.writeFileSync(
    path.join(side.dir, 'revisions', 'aaaa00000001_first.ts'),
    `export const revision = 'aaaa00000001';
export const downRevision = null;
export const message = 'first';
export async function upgrade(ctx: any) {
  await ctx.db.schema.withSchema(ctx.schema).createTable('station').addColumn('id', 'serial', (c: any) => c.primaryKey()).execute();
}
export async function downgrade(ctx: any) {
  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();
}
`,
  );
  const up = sh(side.bin[0]!, [...side.bin.slice(1), '-x', 'db=bench', 'upgrade', 'head'], side.dir);
  if (up.code !== 0) throw new Error(`${side.what}: upgrade head failed:\n${up.out}`);
}

interface Command {
  readonly name: string;
  readonly argv: (side: Side) => string[] | undefined;
}

const COMMANDS: Command[] = [
  { name: 'npx migrate --version', argv: (s) => (s.npx ? ['npx', 'migrate', '--version'] : undefined) },
  { name: 'npx migrate current', argv: (s) => (s.npx ? ['npx', 'migrate', '-x', 'db=bench', 'current'] : undefined) },
  { name: 'bin --version', argv: (s) => [...s.bin, '--version'] },
  { name: 'bin current', argv: (s) => [...s.bin, '-x', 'db=bench', 'current'] },
];

function timeOnce(side: Side, argv: string[]): { ms: number; code: number } {
  const t0 = process.hrtime.bigint();
  const r = sh(argv[0]!, argv.slice(1), side.dir);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, code: r.code };
}

async function main(): Promise<void> {
  const sides = args.map(prepare);
  for (const [i, side] of sides.entries()) await writeProject(side, i);
  for (const side of sides) console.log(`${side.label}: ${side.what}`);
  const times = new Map<string, number[]>();
  const codes = new Map<string, Set<number>>();
  for (const command of COMMANDS) {
    for (const side of sides) {
      const argv = command.argv(side);
      if (argv) for (let w = 0; w < 2; w++) timeOnce(side, argv);
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    // A B, then B A: neither side always runs first.
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const command of COMMANDS) {
      for (const side of order) {
        const argv = command.argv(side);
        if (!argv) continue;
        const key = `${command.name}\t${side.label}`;
        const { ms, code } = timeOnce(side, argv);
        times.set(key, [...(times.get(key) ?? []), ms]);
        codes.set(key, (codes.get(key) ?? new Set()).add(code));
      }
    }
  }
  console.log(`\nmedian of ${ROUNDS} paired runs (ms), exit code in brackets`);
  console.log(['command'.padEnd(24), ...sides.map((s) => s.label.padStart(12)), sides.length === 2 ? '   B/A' : ''].join(''));
  for (const command of COMMANDS) {
    const meds = sides.map((s) => {
      const xs = times.get(`${command.name}\t${s.label}`);
      return xs ? { m: median(xs), code: [...codes.get(`${command.name}\t${s.label}`)!].join('/') } : undefined;
    });
    if (meds.every((m) => m === undefined)) continue;
    const cells = meds.map((m) => (m ? `${m.m.toFixed(0)} [${m.code}]` : '-').padStart(12));
    const ratio = sides.length === 2 && meds[0] && meds[1] ? `   ${(meds[1].m / meds[0].m).toFixed(2)}` : '';
    console.log([command.name.padEnd(24), ...cells, ratio].join(''));
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const name of databases) await admin(`drop database if exists ${name}`).catch(() => undefined);
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

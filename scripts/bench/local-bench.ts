/**
 * The README's first command, timed: `migrate -x db=local upgrade head` in a fresh folder (a copy
 * of alembic.ini and revisions/), whole process, against the part of it spent bringing up the
 * embedded server (initdb + start, timed through `startEmbeddedServer` on another fresh folder),
 * plus warm runs on the folder the cold run left behind.
 * Run: `npm run build && npx tsx scripts/bench/local-bench.ts [rounds]` (default 3).
 *
 * Paired runs, one fresh folder per timed cold run, in the order A B C A B C ...:
 *  A: `node bin/migrate.js -x db=local upgrade head` in the folder (the CLI itself);
 *  B: `startEmbeddedServer` (initdb + start) then `stop()`, in-process, on a fresh data folder;
 *  C: `npx --no-install migrate -c <folder>/alembic.ini -x db=local upgrade head` from the repository
 *     (npx resolves the package's own bin there; in the bare folder it would look for a registry package);
 *  D: the same work in-process, phase by phase, on a fresh folder: load the project (esbuild compiles
 *     the revisions into .retort/cache), start the server (initdb + start), provision (schema, SU role,
 *     extensions, as db init), `migrate()` to head, stop.
 * Folders are removed after all timing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quietOutput } from '../../src/commands/output';
import { loadProject } from '../../src/commands/project';
import { migrate } from '../../src/commands/migrate';
import { loadConfig } from '../../src/config/load';
import { initDatabase } from '../../src/provision/init-database';
import { startEmbeddedServer } from '../../src/embedded/embedded-server';

const ROUNDS = Number(process.argv[2] ?? 3);
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'migrate.js');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function timedRun(cmd: string, args: readonly string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: undefined } });
  const ms = elapsed(t0);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.stderr}`);
  return ms;
}

/** A fresh project folder: the repository's alembic.ini and revisions, nothing else. */
function freshProject(base: string, name: string): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(ROOT, 'alembic.ini'), path.join(dir, 'alembic.ini'));
  fs.cpSync(path.join(ROOT, 'revisions'), path.join(dir, 'revisions'), { recursive: true });
  return dir;
}

type Phase = 'load project' | 'initdb + start' | 'provision' | 'migrate()' | 'stop';

/** D: one cold run in-process, phase by phase. */
async function phases(dir: string): Promise<Record<Phase, number>> {
  const out = {} as Record<Phase, number>;
  const t = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => {
    const t0 = process.hrtime.bigint();
    const value = await fn();
    out[phase] = elapsed(t0);
    return value;
  };
  const config = loadConfig({ cwd: dir });
  const project = await t('load project', () => loadProject(config));
  const server = await t('initdb + start', () => startEmbeddedServer({ dataDir: path.join(dir, '.retort', 'local') }));
  try {
    await t('provision', () =>
      initDatabase({ serverUrl: server.url, database: 'postgres', schemas: ['crmp'], user: 'postgres', suRole: config.suRoleName ?? 'crmpdba' }),
    );
    const target = { label: 'local', url: server.url, schema: 'crmp', suRole: config.suRoleName };
    await t('migrate()', () => migrate({ project, target, revision: 'head', direction: 'up', lockTimeoutMs: 60_000, output: quietOutput }));
  } finally {
    await t('stop', () => server.stop());
  }
  return out;
}

function serverLeft(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.retort', 'local', 'pgdata', 'postmaster.pid'));
}

async function main(): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-local-bench-'));
  fs.chmodSync(base, 0o755); // As root the server runs as the OS user postgres, which must pass through.
  const cliCold: number[] = [];
  const npxCold: number[] = [];
  const serverStart: number[] = [];
  const serverStop: number[] = [];
  const warmUpgrade: number[] = [];
  const warmCurrent: number[] = [];
  const nodeStart: number[] = [];
  const inProcess: Array<Record<Phase, number>> = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const a = freshProject(base, `cli-${r}`);
      cliCold.push(timedRun(process.execPath, [BIN, '-x', 'db=local', 'upgrade', 'head'], a));
      if (serverLeft(a)) throw new Error(`the server of ${a} outlived the command`);

      const dataDir = path.join(base, `server-${r}`);
      const t0 = process.hrtime.bigint();
      const server = await startEmbeddedServer({ dataDir });
      serverStart.push(elapsed(t0));
      const t1 = process.hrtime.bigint();
      await server.stop();
      serverStop.push(elapsed(t1));

      const c = freshProject(base, `npx-${r}`);
      npxCold.push(timedRun('npx', ['--no-install', 'migrate', '-c', path.join(c, 'alembic.ini'), '-x', 'db=local', 'upgrade', 'head'], ROOT));

      inProcess.push(await phases(freshProject(base, `phases-${r}`)));

      // Warm: the cluster and the revision cache exist; the server still starts and stops per command.
      warmUpgrade.push(timedRun(process.execPath, [BIN, '-x', 'db=local', 'upgrade', 'head'], a));
      warmCurrent.push(timedRun(process.execPath, [BIN, '-x', 'db=local', 'current'], a));
      nodeStart.push(timedRun(process.execPath, ['-e', '0'], a));
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const f = (x: number) => `${(x / 1000).toFixed(3)} s`;
  const all = (xs: readonly number[]) => `(${xs.map((x) => x.toFixed(0)).join(', ')} ms)`;
  const start = median(serverStart);
  const stop = median(serverStop);
  const cold = median(cliCold);
  console.log(
    `-x db=local upgrade head on a fresh folder (CRMP, 11 revisions); ${ROUNDS} paired rounds, ${os.cpus().length} CPUs, ${os.platform()}-${os.arch()}`,
  );
  console.log(`cold, whole process (node bin/migrate.js):     ${f(cold)} ${all(cliCold)}`);
  console.log(`cold, whole process (npx --no-install migrate): ${f(median(npxCold))} ${all(npxCold)}`);
  console.log(`  embedded server: initdb + start ${f(start)} ${all(serverStart)}, stop ${f(stop)} ${all(serverStop)}`);
  console.log(
    `  server share of the cold run: ${((100 * (start + stop)) / cold).toFixed(0)}%; the rest (node start, revision compile, upgrade, provisioning): ${f(cold - start - stop)}`,
  );
  const names = Object.keys(inProcess[0]!) as Phase[];
  const total = median(inProcess.map((p) => names.reduce((sum, n) => sum + p[n], 0)));
  console.log(
    `  in-process, phase by phase (medians): ${names.map((n) => `${n} ${median(inProcess.map((p) => p[n])).toFixed(0)} ms`).join(', ')}; total ${f(total)}`,
  );
  console.log(`warm second run, upgrade head (nothing to do): ${f(median(warmUpgrade))} ${all(warmUpgrade)}`);
  console.log(`warm, current:                                  ${f(median(warmCurrent))} ${all(warmCurrent)}`);
  console.log(`node -e 0 (process floor):                      ${f(median(nodeStart))}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

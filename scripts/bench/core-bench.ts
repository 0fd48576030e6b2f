/**
 * Issue "Retort core", speed targets. Run: `npm run build && npx tsx scripts/bench/core-bench.ts [rounds]`
 * (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: a server where databases may be created).
 *
 * 1000 revisions, each one table of 5 columns and an index, on an empty schema:
 *  - `migrate upgrade head` vs `psql -1 -f` of the same DDL (target <= 1.25x);
 *  - `migrate current` with those revisions present, whole process (target <= 0.25 s);
 *  - `migrate downgrade base` vs `psql -1 -f` of the drops (target <= 1.5x).
 * Also times a bare pg client sending the same DDL from Node (scripts/bench/pg-floor.js).
 * Runs are paired (A B C, then C B A), each on a fresh database after `sync` and CHECKPOINT; databases
 * are dropped after all timing. `RETORT_TIMINGS=1` makes each migrate run report its phases.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { admin, BIN, dbUrl, ddlFor, median, N, run, settle, time, writeProject } from './core-project';

const ROUNDS = Number(process.argv[2] ?? 5);

/** `RETORT_TIMINGS=1` output: `timings: start 52 ms, ...; 2011 queries, 2790 ms waiting on the server`. */
interface Phases {
  start: number;
  loaded: number;
  firstStep: number;
  lastStep: number;
  done: number;
  queries: number;
  waiting: number;
}
function parseTimings(stderr: string): Phases {
  const line = stderr.split('\n').find((l) => l.startsWith('timings: ')) ?? '';
  const at = (label: string) => Number(new RegExp(`${label} (\\d+) ms`).exec(line)?.[1] ?? NaN);
  return {
    start: at('start'),
    loaded: at('revisions loaded'),
    firstStep: at('first step'),
    lastStep: at('last step'),
    done: at('done'),
    queries: Number(/; (\d+) queries/.exec(line)?.[1] ?? NaN),
    waiting: Number(/, (\d+) ms waiting/.exec(line)?.[1] ?? NaN),
  };
}

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
  const timed = { ...process.env, RETORT_TIMINGS: '1' };
  const migrate = (url: string, ...args: string[]) => run(process.execPath, [BIN, '--url', url, '-x', 'schema=bench', ...args], dir, timed);
  const psql = (url: string, file: string) => run('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', file, url], dir);
  const floor = (url: string, file: string) => run(process.execPath, [path.join(__dirname, 'pg-floor.js'), url, file], dir);

  // First runs fill the caches (compiled revisions, V8 code caches) and warm the server: reported, not paired.
  const compile = time(() => run(process.execPath, [BIN, 'heads'], dir));
  const warm = await fresh('warm');
  const firstUpgrade = time(() => migrate(warm, 'upgrade', '--create-schema', 'head'));
  time(() => migrate(warm, 'current'));
  time(() => migrate(warm, 'downgrade', 'base'));

  const psqlUp: number[] = [];
  const migUp: number[] = [];
  const psqlDown: number[] = [];
  const migDown: number[] = [];
  const nodeUp: number[] = [];
  const nodeDown: number[] = [];
  const current: number[] = [];
  const upPhases: Phases[] = [];
  const downPhases: Phases[] = [];
  /** A side that runs the up file, then the down file, on a fresh database of its own. */
  const fileSide = (tag: string, runFile: (url: string, file: string) => string, ups: number[], downs: number[]) => async () => {
    const url = await fresh(tag);
    await settle();
    ups.push(time(() => runFile(url, upSql)));
    await settle();
    downs.push(time(() => runFile(url, downSql)));
  };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // A: psql -1 -f (the DDL floor), up then down. B: migrate, up, current, down.
      const a = fileSide('psql', psql, psqlUp, psqlDown);
      const b = async () => {
        const url = await fresh('mig');
        await settle();
        let err = '';
        migUp.push(time(() => (err = migrate(url, 'upgrade', '--create-schema', 'head'))));
        upPhases.push(parseTimings(err));
        for (let k = 0; k < 3; k++) current.push(time(() => run(process.execPath, [BIN, '--url', url, '-x', 'schema=bench', 'current'], dir)));
        await settle();
        migDown.push(time(() => (err = migrate(url, 'downgrade', 'base'))));
        downPhases.push(parseTimings(err));
      };
      // C: the same DDL from a bare pg client in a fresh Node process (Node's own floor).
      const c = fileSide('node', floor, nodeUp, nodeDown);
      // A B C, then C B A: no side always runs last.
      for (const side of r % 2 === 0 ? [a, b, c] : [c, b, a]) await side();
    }
  } finally {
    for (const name of created) await admin(`drop database if exists ${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const nodeStart = median([0, 1, 2].map(() => time(() => execFileSync(process.execPath, ['-e', '0']))));
  const f = (x: number) => `${(x / 1000).toFixed(3)} s`;
  const ratios = (m: number[], p: number[]) => m.map((x, i) => x / p[i]!);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  const upRatios = ratios(migUp, psqlUp);
  const downRatios = ratios(migDown, psqlDown);
  console.log(`revisions: ${N}, rounds: ${ROUNDS} (A B C, then C B A; each run on a fresh database after sync + CHECKPOINT)`);
  console.log(`first run compiling ${N} revisions into the cache: ${f(compile)}; first upgrade on a throwaway database: ${f(firstUpgrade)}`);
  console.log(
    `upgrade head:   migrate ${f(median(migUp))}  psql -1 -f ${f(median(psqlUp))}  ratio of medians ${(median(migUp) / median(psqlUp)).toFixed(2)}x, median of pair ratios ${median(upRatios).toFixed(2)}x [${list(upRatios)}] (target <= 1.25x)`,
  );
  console.log(
    `downgrade base: migrate ${f(median(migDown))}  psql -1 -f ${f(median(psqlDown))}  ratio of medians ${(median(migDown) / median(psqlDown)).toFixed(2)}x, median of pair ratios ${median(downRatios).toFixed(2)}x [${list(downRatios)}] (target <= 1.5x)`,
  );
  console.log(
    `a bare pg client (scripts/bench/pg-floor.js), same DDL: upgrade ${f(median(nodeUp))} (${median(ratios(nodeUp, psqlUp)).toFixed(2)}x psql), downgrade ${f(median(nodeDown))} (${median(ratios(nodeDown, psqlDown)).toFixed(2)}x psql)`,
  );
  console.log(`current (whole process): ${f(median(current))} (target <= 0.25 s)`);
  const where = (label: string, ph: Phases[]) => {
    const m = (k: (p: Phases) => number) => median(ph.map(k));
    const steps = m((p) => p.lastStep - p.firstStep);
    console.log(
      `where the time goes, ${label} (medians, ms since process start): node itself ${Math.round(nodeStart)} ms (node -e 0); CLI loaded ${m((p) => p.start)}, revisions listed ${m((p) => p.loaded)}, first step ${m((p) => p.firstStep)}, last step ${m((p) => p.lastStep)}, exit ${m((p) => p.done)}; ` +
        `steps ${Math.round(steps)} ms; ${m((p) => p.queries)} statements, ${m((p) => p.waiting)} ms waiting on the server (round trips included), so about ${Math.round(m((p) => p.done - p.waiting))} ms in the process itself`,
    );
  };
  where('upgrade', upPhases);
  where('downgrade', downPhases);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

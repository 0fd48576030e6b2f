/**
 * Benchmark: diff of two identical schemas of 1000 tables (8 columns of mixed types, a
 * primary key, a foreign key, a unique constraint and an index each), 100 views and 50
 * plpgsql functions.
 *
 *   npm run build && npx tsx scripts/bench/diff-bench.ts [--rounds 5]
 *
 * Each round times, in this order and each on a fresh pair of databases (copied from two
 * templates built once):
 *  A. `migrate diff --from <a>:bench --to <b>:bench` as a whole process (the CLI, start-up included);
 *  B. `@pgkit/migra run <a> <b> --schema bench` as a whole process;
 *  C. the same diff through the library in a process of its own (scripts/bench/diff-phases.js),
 *     by phase: load (requiring the modules), connect, queries and snapshot (per side, both
 *     sides read in parallel), diff, render.
 * Wall time, CPU time (user + system) and peak RSS of each process are measured; the report
 * gives medians and the migra / Retort ratios of the paired runs. Databases are dropped at the end.
 *
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres
 * (a maintenance database where it may create and drop databases).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { benchSchemaDdl } from './bench-schema';

const root = path.resolve(__dirname, '..', '..');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
const schema = 'bench';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

async function query(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  stdout: string;
}

const hasTime = existsSync('/usr/bin/time');

/** Runs a command as a whole process: wall-clock time, CPU time and peak RSS (from /usr/bin/time). */
function measure(command: string, argv: string[]): Sample {
  const start = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', command, ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  return {
    wallMs,
    cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN,
    rssMb: m ? Number(m[3]) / 1024 : NaN,
    stdout: r.stdout,
  };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;

interface Phases {
  load: number;
  connect: number;
  read: number;
  queries: [number, number];
  snapshot: [number, number];
  diff: number;
  render: number;
  total: number;
  operations: number;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'dist', 'catalog', 'read-snapshot.js'))) throw new Error('dist/ is missing: run npm run build first');
  const suffix = randomBytes(4).toString('hex');
  const templates = [`retort_bench_ta_${suffix}`, `retort_bench_tb_${suffix}`];
  const created: string[] = [];
  const fresh = async (template: string) => {
    const name = `retort_bench_${randomBytes(5).toString('hex')}`;
    await query(serverUrl, `create database "${name}" template "${template}"`);
    created.push(name);
    return withDatabase(serverUrl, name);
  };
  try {
    console.log('creating 2 templates of (1000 tables, 100 views, 50 functions) ...');
    for (const t of templates) {
      await query(serverUrl, `create database "${t}"`);
      created.push(t);
      for (const batch of benchSchemaDdl(schema)) await query(withDatabase(serverUrl, t), batch);
    }
    const migra = path.join(root, 'node_modules', '.bin', 'migra');
    const cli = path.join(root, 'bin', 'migrate.js');
    const retort: Sample[] = [];
    const other: Sample[] = [];
    const library: (Sample & { phases: Phases })[] = [];
    for (let i = 0; i < rounds; i++) {
      const pairs = [];
      for (let k = 0; k < 3; k++) pairs.push([await fresh(templates[0]!), await fresh(templates[1]!)] as const);
      await query(serverUrl, 'checkpoint');
      const [p1, p2, p3] = pairs as [readonly [string, string], readonly [string, string], readonly [string, string]];
      const a = measure(process.execPath, [cli, 'diff', '--from', `${p1[0]}:${schema}`, '--to', `${p1[1]}:${schema}`]);
      if (!/match/.test(a.stdout)) throw new Error(`retort found differences: ${a.stdout}`);
      const b = measure(migra, ['run', p2[0], p2[1], '--schema', schema, '--unsafe']);
      const c = measure(process.execPath, [path.join(root, 'scripts', 'bench', 'diff-phases.js'), p3[0], p3[1], schema]);
      const phases = JSON.parse(c.stdout) as Phases;
      retort.push(a);
      other.push(b);
      library.push({ ...c, phases });
      console.log(
        `round ${i + 1}: retort CLI ${fmt(a.wallMs)} (cpu ${fmt(a.cpuMs)}, ${a.rssMb.toFixed(0)} MB) | migra ${fmt(b.wallMs)} (cpu ${fmt(b.cpuMs)}, ${b.rssMb.toFixed(0)} MB) | library ${fmt(phases.total - phases.load)} after load`,
      );
    }
    const m = (list: readonly Sample[], pick: (s: Sample) => number) => median(list.map(pick));
    const ph = (pick: (p: Phases) => number) => median(library.map((l) => pick(l.phases)));
    console.log('');
    console.log(
      `retort CLI, whole process:    wall ${fmt(m(retort, (s) => s.wallMs))}, cpu ${fmt(m(retort, (s) => s.cpuMs))}, peak RSS ${m(retort, (s) => s.rssMb).toFixed(0)} MB  (target <= 500 ms, <= 150 MB)`,
    );
    console.log(
      `@pgkit/migra, whole process:  wall ${fmt(m(other, (s) => s.wallMs))}, cpu ${fmt(m(other, (s) => s.cpuMs))}, peak RSS ${m(other, (s) => s.rssMb).toFixed(0)} MB`,
    );
    const ratios = retort.map((r, i) => other[i]!.wallMs / r.wallMs);
    console.log(`migra / retort (paired runs, wall): median ${median(ratios).toFixed(1)}x`);
    console.log('');
    console.log('library, by phase (medians):');
    console.log(`  load modules   ${fmt(ph((p) => p.load))}`);
    console.log(`  connect        ${fmt(ph((p) => p.connect))}  (both sides, in parallel)`);
    console.log(`  catalog        ${fmt(ph((p) => Math.max(...p.queries)))}  (slower side; one statement each, parsed)`);
    console.log(`  snapshot       ${fmt(ph((p) => p.snapshot[0] + p.snapshot[1]))}  (both sides)`);
    console.log(`  read, wall     ${fmt(ph((p) => p.read))}  (catalog + snapshot, sides overlapping)`);
    console.log(`  diff           ${fmt(ph((p) => p.diff))}`);
    console.log(`  render         ${fmt(ph((p) => p.render))}`);
    console.log(
      `  total          ${fmt(ph((p) => p.total))}  (${fmt(ph((p) => p.total - p.load))} after load), process cpu ${fmt(m(library, (s) => s.cpuMs))}, peak RSS ${m(library, (s) => s.rssMb).toFixed(0)} MB`,
    );
  } finally {
    for (const n of created.reverse()) await query(serverUrl, `drop database if exists "${n}" with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * Benchmark: diff of two identical schemas of 1000 tables (8 columns of mixed types, a
 * primary key, a foreign key, a unique constraint and an index each), 100 views and 50
 * plpgsql functions, in two fresh databases.
 *
 * Times Retort's `diffSchemas` as a whole `node` process (the compiled module in dist/),
 * and `@pgkit/migra` on the same pair, in pairs A B A B ..., and prints medians.
 *
 *   npx tsx scripts/bench/diff-bench.ts [--rounds 5] [--no-build]
 *
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres
 * (a maintenance database where it may create and drop databases).
 */
import { execFileSync, spawnSync } from 'node:child_process';
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
  ms: number;
  rssMb: number;
  output: string;
}

const hasTime = existsSync('/usr/bin/time');

/** Runs a command as a whole process; wall-clock time and peak RSS. */
function measure(command: string, argv: string[]): Sample {
  const start = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  const rss = hasTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] : /maxRSS=(\d+)/.exec(r.stdout)?.[1];
  return { ms, rssMb: Number(rss ?? 0) / 1024, output: r.stdout };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  if (!args.includes('--no-build')) {
    console.log('building dist/ (npx tsc -p tsconfig.json) ...');
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
    } catch {
      // type errors elsewhere in the tree do not stop tsc from emitting
    }
  }
  const suffix = randomBytes(4).toString('hex');
  const names = [`retort_bench_a_${suffix}`, `retort_bench_b_${suffix}`];
  const [urlA, urlB] = names.map((n) => withDatabase(serverUrl, n)) as [string, string];
  for (const n of names) await query(serverUrl, `create database "${n}"`);
  try {
    console.log('creating 2 x (1000 tables, 100 views, 50 functions) ...');
    for (const url of [urlA, urlB]) for (const batch of benchSchemaDdl(schema)) await query(url, batch);

    const retortScript = `const t0 = Date.now();
const { diffSchemas } = require('./dist/commands/diff.js');
diffSchemas({ from: { url: ${JSON.stringify(urlA)}, schema: '${schema}' }, to: { url: ${JSON.stringify(urlB)}, schema: '${schema}' } })
  .then((r) => { process.stdout.write('operations=' + r.operations.length + ' maxRSS=' + process.resourceUsage().maxRSS + ' inner_ms=' + (Date.now() - t0) + '\\n'); });`;
    const migra = path.join(root, 'node_modules', '.bin', 'migra');
    const retort: Sample[] = [];
    const other: Sample[] = [];
    for (let i = 0; i < rounds; i++) {
      const a = measure(process.execPath, ['-e', retortScript]);
      const b = measure(migra, ['run', urlA, urlB, '--schema', schema, '--unsafe']);
      retort.push(a);
      other.push(b);
      console.log(`round ${i + 1}: retort ${a.ms.toFixed(0)} ms ${a.rssMb.toFixed(0)} MB (${a.output.trim()}) | migra ${b.ms.toFixed(0)} ms ${b.rssMb.toFixed(0)} MB (${b.output.trim().length} bytes of output)`);
    }
    const rt = median(retort.map((s) => s.ms));
    const rr = median(retort.map((s) => s.rssMb));
    const mt = median(other.map((s) => s.ms));
    const mr = median(other.map((s) => s.rssMb));
    console.log('');
    console.log(`retort diffSchemas (whole process): median ${rt.toFixed(0)} ms, peak RSS ${rr.toFixed(0)} MB  (target <= 1000 ms, <= 200 MB)`);
    console.log(`@pgkit/migra       (whole process): median ${mt.toFixed(0)} ms, peak RSS ${mr.toFixed(0)} MB`);
    console.log(`ratio migra / retort: ${(mt / rt).toFixed(1)}x`);
  } finally {
    for (const n of names) await query(serverUrl, `drop database if exists "${n}" with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

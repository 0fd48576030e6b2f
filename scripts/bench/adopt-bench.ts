/**
 * Benchmark: the adoption path on the 1000-table benchmark schema (bench-schema.ts), as whole
 * CLI processes: `pull -o model.ts`, then `check` against the pulled model with the dev database
 * external (a fresh database on the same server, `--dev-url`) and embedded (the default), in
 * pairs (external, embedded / embedded, external), medians reported. Every round loads the
 * schema into a fresh target database; every external check gets a fresh dev database.
 * The first embedded check of a machine also creates the embedded cluster; a warm-up check
 * before the timed rounds keeps that out of the figures (it is reported apart).
 *
 *   npm run build && npx tsx scripts/bench/adopt-bench.ts [rounds=3]
 *
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { benchSchemaDdl } from './bench-schema';

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const rounds = Number(process.argv[2] ?? 3) || 3;
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'migrate.js');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

async function exec(url: string, text: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `retort_bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await exec(serverUrl, `create database ${name}`);
  return { url: withDatabase(serverUrl, name), drop: () => exec(serverUrl, `drop database if exists ${name} with (force)`) };
}

/** Runs the CLI as a user does and returns its wall time in ms; fails loudly on an unexpected exit code. */
function cli(args: string[], cwd: string, expected = 0): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: undefined } });
  const ms = performance.now() - t0;
  if (r.status !== expected) throw new Error(`migrate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'retort-adopt-bench-'));
  const times = { pull: [] as number[], external: [] as number[], embedded: [] as number[] };
  let warm = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const target = await freshDatabase('target');
      try {
        for (const batch of benchSchemaDdl('bench')) await exec(target.url, batch);
        writeFileSync(
          path.join(dir, 'alembic.ini'),
          `[alembic]\nscript_location = revisions\nschema_name = bench\nmodel = model.ts\n\n[t]\nsqlalchemy.url = ${target.url}\n`,
        );
        rmSync(path.join(dir, 'revisions'), { recursive: true, force: true });
        spawnSync('mkdir', ['-p', path.join(dir, 'revisions')]);
        times.pull.push(cli(['-x', 'db=t', 'pull', '-o', 'model.ts', '--force'], dir));
        if (round === 0) warm = cli(['-x', 'db=t', 'check'], dir);
        const order = round % 2 === 0 ? (['external', 'embedded'] as const) : (['embedded', 'external'] as const);
        for (const which of order) {
          if (which === 'embedded') {
            times.embedded.push(cli(['-x', 'db=t', 'check'], dir));
            continue;
          }
          const dev = await freshDatabase('dev');
          try {
            times.external.push(cli(['-x', 'db=t', 'check', '--dev-url', dev.url], dir));
          } finally {
            await dev.drop();
          }
        }
        process.stdout.write(
          `round ${round + 1}: pull ${fmt(times.pull.at(-1)!)}, check external ${fmt(times.external.at(-1)!)}, embedded ${fmt(times.embedded.at(-1)!)}\n`,
        );
      } finally {
        await target.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n1000 tables, 100 views, 50 functions; ${rounds} rounds, whole processes, medians:`);
  console.log(`  pull -o model.ts                      ${fmt(median(times.pull))}`);
  console.log(`  check, dev database external          ${fmt(median(times.external))}`);
  console.log(
    `  check, dev database embedded          ${fmt(median(times.embedded))}  (ratio to external ${(median(times.embedded) / median(times.external)).toFixed(2)}x)`,
  );
  console.log(`  first embedded check (warm-up)        ${fmt(warm)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Benchmark: `pull` of the 1000-table benchmark schema (see bench-schema.ts), and building the
 * pulled model into an empty schema of another database. Times each step in-process, median of
 * the rounds, and checks that the rebuilt schema reads back as the original.
 *
 *   npx tsx scripts/bench/pull-bench.ts [--rounds 3]
 *
 * Uses BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres
 * (a maintenance database where it may create and drop databases).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool } from 'pg';
import { readSnapshot } from '../../src/catalog/read-snapshot';
import { loadModel } from '../../src/loader/load-model';
import { loadConfig } from '../../src/config/load';
import { deepEqual } from '../../src/schema/deep-equal';
import { createAll, modelOperations } from '../../src/model';
import { renderModelSource } from '../../src/pull/render-model-source';
import { PACKAGE_NAME } from '../../src/package-info';
import { benchSchemaDdl } from './bench-schema';

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(times: number[], fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const value = await fn();
  times.push(performance.now() - t0);
  return value;
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const names = [`retort_pullbench_a_${suffix}`, `retort_pullbench_b_${suffix}`];
  const [urlA, urlB] = names.map((n) => withDatabase(serverUrl, n)) as [string, string];
  for (const n of names) await query(serverUrl, `create database "${n}"`);
  const dir = mkdtempSync(path.join(tmpdir(), 'retort-pull-bench-'));
  const connect = (url: string) => new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
  const a = connect(urlA);
  const b = connect(urlB);
  const steps = { read: [] as number[], render: [] as number[], load: [] as number[], plan: [] as number[], build: [] as number[] };
  try {
    console.log('creating 1000 tables, 100 views, 50 functions ...');
    for (const batch of benchSchemaDdl('bench')) await query(urlA, batch);
    for (let i = 0; i < rounds; i++) {
      const snapshot = await timed(steps.read, () => readSnapshot(a, 'bench'));
      const source = await timed(steps.render, () => renderModelSource(snapshot));
      writeFileSync(path.join(dir, 'model.ts'), source.replace(`from '${PACKAGE_NAME}'`, `from ${JSON.stringify(path.resolve(__dirname, '../../src/model'))}`));
      writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nmodel = model.ts\n');
      const { model } = await timed(steps.load, () => loadModel(loadConfig({ path: path.join(dir, 'alembic.ini'), cwd: dir })));
      const operations = await timed(steps.plan, () => modelOperations(model));
      const target = `pulled_${i}`;
      await timed(steps.build, () => createAll(model, { db: b, schema: target, createSchema: true }));
      const same = deepEqual(await readSnapshot(b, target), snapshot);
      console.log(
        `round ${i + 1}: ${(source.length / 1024).toFixed(0)} KiB of model, ${operations.length} operations, rebuilt schema ${same ? 'equal' : 'DIFFERENT'}`,
      );
      if (!same) process.exitCode = 1;
    }
    const line = (what: string, times: number[]) => console.log(`${what.padEnd(44)} median ${median(times).toFixed(0)} ms`);
    line('read the catalog (readSnapshot)', steps.read);
    line('write the model source (renderModelSource)', steps.render);
    line('load the model file (esbuild + vm)', steps.load);
    line('model -> snapshot -> operations', steps.plan);
    line('build it (createAll, one transaction)', steps.build);
  } finally {
    await a.destroy();
    await b.destroy();
    rmSync(dir, { recursive: true, force: true });
    for (const n of names) await query(serverUrl, `drop database if exists "${n}" with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

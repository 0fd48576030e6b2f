'use strict';
/**
 * One no-change diff through the library (the compiled dist/), timed by phase, as a process
 * of its own: `node scripts/bench/diff-phases.js <from url> <to url> <schema>`. Prints one JSON
 * line: load (requiring the modules), connect (both connections, in parallel), queries and
 * snapshot (per side, both sides read in parallel as diffSchemas does), read (both reads, wall),
 * diff, render, total, maxRssMb. Run by scripts/bench/diff-bench.ts.
 */
const t0 = performance.now();
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist');
const { Kysely, PostgresDialect, sql } = require('kysely');
const { Pool } = require('pg');
const { readSnapshot } = require(path.join(dist, 'catalog', 'read-snapshot.js'));
const { diffSnapshots } = require(path.join(dist, 'diff', 'diff-snapshots.js'));
const { renderSql } = require(path.join(dist, 'render', 'render-sql.js'));

async function main() {
  const [fromUrl, toUrl, schema] = process.argv.slice(2);
  const out = { load: performance.now() - t0 };
  const dbs = [fromUrl, toUrl].map((url) => new Kysely({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) }));
  let t = performance.now();
  await Promise.all(dbs.map((db) => sql`select 1`.execute(db)));
  out.connect = performance.now() - t;
  t = performance.now();
  const sides = [{}, {}];
  const [from, to] = await Promise.all(dbs.map((db, i) => readSnapshot(db, schema, { onTiming: (phase, ms) => (sides[i][phase] = ms) })));
  out.read = performance.now() - t;
  out.queries = sides.map((s) => s.queries);
  out.snapshot = sides.map((s) => s.snapshot);
  t = performance.now();
  const ops = diffSnapshots(from, to);
  out.diff = performance.now() - t;
  t = performance.now();
  renderSql(ops, { schema });
  out.render = performance.now() - t;
  out.operations = ops.length;
  await Promise.all(dbs.map((db) => db.destroy()));
  out.total = performance.now() - t0;
  out.maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

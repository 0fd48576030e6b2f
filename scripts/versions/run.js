#!/usr/bin/env node
/**
 * npm run test:versions: the version subset of the tests on every supported PostgreSQL major.
 * For each major: an embedded server of that major in a temp folder on a free port, its URL as
 * TEST_DATABASE_URL, the subset below, the wall time. Then the summary, the results as JSON in a
 * temp folder, and the compatibility table regenerated from them (docs/compatibility.md and the
 * README block; see compat-table.js).
 *
 *   npm run test:versions                     every major, 13..18
 *   npm run test:versions -- --majors 13,17   some majors (the table is then left alone)
 *   npm run test:versions -- --check          only: is the README block what the generator makes?
 *   npm run test:versions -- --no-build       dist/ is fresh already (CI, after npm test)
 */
'use strict';
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const table = require('./compat-table');

/**
 * The subset the issue names, by file. Files left out on purpose are named in EXCLUDED with the
 * reason; nothing in the subset skips itself.
 */
const SUBSET = [
  // core CLI: upgrade, downgrade, current, history, stamp, branches, offline --sql
  'test/integration/cli/upgrade-downgrade.test.ts',
  // locks: the advisory lock every command takes
  'test/integration/target/advisory-lock.test.ts',
  // catalog snapshot tests
  'test/integration/catalog/read-snapshot.test.ts',
  // migra conformance corpus
  'test/integration/diff/migra-conformance.test.ts',
  // CRMP: revisions at head == createAll(model), and the revisions up/down
  'test/integration/crmp/model-equivalence.test.ts',
  'test/integration/crmp/revisions.test.ts',
  // the features of the version list: built from their major, refused by name before it
  'test/versions/features.test.ts',
];

/** Left out of the subset, with the reason (they run in `npm test` on the machine's server). */
const EXCLUDED = {
  'test/integration/crmp/plpython-option.test.ts': 'needs plpython3u, which only the system PostgreSQL has (the embedded binaries ship no PL/Python)',
  'test/integration/pull/pull-postgis.test.ts': 'needs PostGIS, which only the system PostgreSQL has',
};

/**
 * What calls the machine's pg_dump, which refuses a server of a newer major than its own (Debian 12
 * ships pg_dump 15 only; set PG_DUMP to a newer one to run them everywhere). On such majors these
 * are left out, by file or by test title (--grep --invert), and the output says so. The catalog
 * comparisons of the CRMP tests check the same objects without pg_dump.
 */
const NEEDS_PG_DUMP = {
  files: ['test/integration/diff/migra-conformance.test.ts'],
  titles: ['--sql output applied with psql gives the same catalog as an online upgrade', 'dumps to the same pg_dump --schema-only text'],
};

function parseArgs(argv) {
  const args = { majors: table.MAJORS, check: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') args.check = true;
    else if (argv[i] === '--no-build') args.build = false;
    else if (argv[i] === '--majors')
      args.majors = String(argv[++i] ?? '')
        .split(',')
        .map(Number);
    else {
      console.error(`test:versions: unknown argument ${argv[i]}. Use --majors 13,14, --no-build or --check.`);
      process.exit(2);
    }
  }
  const bad = args.majors.filter((m) => !table.MAJORS.includes(m));
  if (bad.length > 0) {
    console.error(`test:versions: --majors ${bad.join(',')} is not among ${table.MAJORS.join(', ')}.`);
    process.exit(2);
  }
  return args;
}

/** The major of the machine's pg_dump, or 0 when there is none. */
function pgDumpMajor() {
  const r = spawnSync(process.env.PG_DUMP || 'pg_dump', ['--version'], { encoding: 'utf8' });
  const m = /(\d+)(\.\d+)?/.exec(r.stdout ?? '');
  return r.status === 0 && m ? Number(m[1]) : 0;
}

function runMocha(files, env, grepOut, logFile, reportFile) {
  const args = [require.resolve('mocha/bin/mocha.js'), '--reporter', 'json', '--reporter-option', `output=${reportFile}`, ...files];
  if (grepOut.length > 0) args.push(`--grep=${grepOut.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}`, '--invert');
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
    child.on('exit', (code) => {
      fs.closeSync(out);
      resolve(code ?? 1);
    });
  });
}

async function runMajor(major, workDir, dumpMajor) {
  const { startEmbeddedServer } = require(path.join(ROOT, 'dist', 'embedded', 'embedded-server.js'));
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(workDir, `pg${major}-`));
  // A throw-away server: durability buys nothing here, and CREATE DATABASE per test costs fsyncs.
  const server = await startEmbeddedServer({ dataDir, major, settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  const dumps = dumpMajor >= major;
  const grepOut = dumps ? [] : NEEDS_PG_DUMP.titles;
  const files = dumps ? SUBSET : SUBSET.filter((f) => !NEEDS_PG_DUMP.files.includes(f));
  const logFile = path.join(workDir, `pg${major}.log`);
  const reportFile = path.join(workDir, `pg${major}.json`);
  const resultsFile = path.join(workDir, `pg${major}.features.jsonl`);
  let code;
  try {
    const env = { ...process.env, TEST_DATABASE_URL: server.url, RETORT_VERSIONS_RESULTS: resultsFile };
    // Some tests call plain `pg_dump`: PG_DUMP's folder goes first on their PATH.
    if (process.env.PG_DUMP) env.PATH = `${path.dirname(path.resolve(process.env.PG_DUMP))}${path.delimiter}${process.env.PATH ?? ''}`;
    code = await runMocha(files, env, grepOut, logFile, reportFile);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  let stats = { passes: 0, failures: 0, pending: 0 };
  let failures;
  try {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    stats = report.stats;
    failures = report.failures.map((f) => `${f.fullTitle}: ${String(f.err?.message ?? '').split('\n')[0]}`);
  } catch {
    failures = [`mocha wrote no report (exit ${code}); see ${logFile}`];
  }
  const features = fs.existsSync(resultsFile)
    ? fs
        .readFileSync(resultsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  const seconds = (Date.now() - started) / 1000;
  const leftOut = [...SUBSET.filter((f) => !files.includes(f)), ...grepOut.map((t) => `"${t}"`)];
  return { major, seconds, code, passes: stats.passes, failures: stats.failures, pending: stats.pending, failed: failures, features, leftOut, log: logFile };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.check) {
    const problems = table.check();
    for (const p of problems) console.error(p);
    if (problems.length === 0) console.log('test:versions --check: docs/compatibility.md and the README block match the feature list.');
    process.exit(problems.length === 0 ? 0 : 1);
  }
  if (args.build) {
    // The CLI tests run dist/.
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-versions-'));
  fs.chmodSync(workDir, 0o755); // run as root, the server's own user must reach its data folder
  const dumpMajor = pgDumpMajor();
  for (const [file, why] of Object.entries(EXCLUDED)) console.log(`excluded: ${file}: ${why}`);
  const results = [];
  for (const major of args.majors) {
    process.stdout.write(`PostgreSQL ${major}: `);
    // A major whose server does not start is a failed major; the others still run.
    const r = await runMajor(major, workDir, dumpMajor).catch((error) => ({
      major,
      seconds: 0,
      code: 1,
      passes: 0,
      failures: 1,
      pending: 0,
      failed: [`the embedded server did not start: ${error instanceof Error ? error.message : error}`],
      features: [],
      leftOut: [],
    }));
    results.push(r);
    console.log(
      `${r.passes} passing, ${r.failures} failing, ${r.pending} pending in ${r.seconds.toFixed(1)} s${r.leftOut.length ? ` (left out, pg_dump ${dumpMajor} cannot dump ${major}: ${r.leftOut.join(', ')})` : ''}`,
    );
    for (const f of r.failed) console.log(`  failed: ${f}`);
  }
  const resultsFile = path.join(workDir, 'results.json');
  fs.writeFileSync(resultsFile, JSON.stringify({ subset: SUBSET, excluded: EXCLUDED, pgDump: dumpMajor, results }, null, 2));
  console.log('\nmajor  seconds  passing  failing  pending');
  for (const r of results)
    console.log(
      `${String(r.major).padEnd(7)}${r.seconds.toFixed(1).padStart(7)}  ${String(r.passes).padStart(7)}  ${String(r.failures).padStart(7)}  ${String(r.pending).padStart(7)}`,
    );
  console.log(`total ${results.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s; results in ${resultsFile}`);
  const failed = results.filter((r) => r.code !== 0 || r.failures > 0 || r.pending > 0);
  const disagreements = table.verify(results);
  for (const d of disagreements) console.log(`compatibility table: ${d}`);
  if (failed.length === 0 && disagreements.length === 0 && args.majors.length === table.MAJORS.length) {
    table.write();
    console.log('docs/compatibility.md and the README block regenerated from the checked feature list.');
  }
  process.exit(failed.length > 0 || disagreements.length > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

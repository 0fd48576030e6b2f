/**
 * The reliability suite's tools: CLI processes started and ended by pid, bounded waits, and the
 * checks every fault is followed by (the version table matches what was committed, the lock is
 * free, no backend of ours is left, the output is one line).
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { BIN, type RevisionSpec, type TestProject } from '../../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';

/** What each test of a reliability suite works on: a database of its own, and the project it makes. */
export interface FreshTarget {
  readonly db: TestDatabase;
  project: TestProject | undefined;
}

/**
 * Registers hooks that give each test a new database (with an empty schema `crmp` unless
 * `schema` is false) and remove its project and database after it.
 */
export function freshTarget(prefix: string, options: { schema?: boolean } = {}): FreshTarget {
  const t = { project: undefined } as { db: TestDatabase; project: TestProject | undefined };
  beforeEach(async () => {
    t.db = await createTestDatabase(prefix);
    if (options.schema !== false) await query(t.db.url, 'create schema crmp');
  });
  afterEach(async () => {
    t.project?.remove();
    t.project = undefined;
    await t.db.drop();
  });
  return t;
}

/** Three revisions whose middle one runs `select pg_sleep(30) -- <marker>`, long enough to fault it. */
export function sleepingChain(prefix: string, marker: string): RevisionSpec[] {
  return chain([{ id: `${prefix}000000001` }, { id: `${prefix}000000002`, then: `select pg_sleep(30) -- ${marker}` }, { id: `${prefix}000000003` }]);
}

export interface Running {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything written so far (grows while it runs). */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Settles when the process exits; a process still running after `limitMs` is killed (SIGKILL, by pid) and the test fails. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `migrate` as a child process, as a user does; ends it with SIGKILL by pid after `limitMs`. */
export function startCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; limitMs?: number }): Running {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const k of ['DATABASE_URL', 'SCHEMA_NAME', 'SU_ROLE_NAME', 'PGPASSWORD']) if (!options.env?.[k]) delete env[k];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const limitMs = options.limitMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killPid(child.pid!, 'SIGKILL');
  }, limitMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`migrate ${args.join(' ')} was still running after ${limitMs} ms; killed. stderr: ${err}`));
      else resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return { pid: child.pid!, child, stdout: () => out, stderr: () => err, done };
}

export function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `check` every 25 ms until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Backends connected to the database by Retort (application_name retort...), other than this test's. */
export async function ourBackends(url: string): Promise<Array<{ pid: number; state: string; query: string }>> {
  return query(
    url,
    "select pid, state, query from pg_stat_activity where datname = current_database() and application_name like 'retort%' and pid <> pg_backend_pid()",
  );
}

/** Advisory locks granted in the database (Retort's migration lock among them). */
export async function advisoryLocks(url: string): Promise<Array<{ pid: number }>> {
  return query(
    url,
    "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
  );
}

/** The backend of a running statement whose text contains `marker` (a test-made pid to cancel or terminate). */
export async function backendRunning(url: string, marker: string): Promise<number | undefined> {
  const rows = await query<{ pid: number }>(
    url,
    "select pid from pg_stat_activity where datname = current_database() and state = 'active' and position($1 in query) > 0 and pid <> pg_backend_pid()",
    [marker],
  );
  return rows[0]?.pid;
}

/**
 * What must hold after any fault: no backend of ours is left (within `settleMs`: after a kill -9,
 * the server notices the dead client within about a second), the lock is free, and the version
 * table names exactly the revisions whose objects exist: a table `t_<id>`, or for a
 * non-transactional revision a valid index `ix_<id>`. Returns the heads.
 */
export async function expectClean(url: string, schema: string, chain: readonly RevisionSpec[], settleMs = 5000): Promise<string[]> {
  await waitFor('our backends to end', async () => (await ourBackends(url)).length === 0 || undefined, settleMs).catch(async () => {
    expect(await ourBackends(url), 'backends left behind').to.deep.equal([]);
  });
  expect(await advisoryLocks(url), 'advisory locks left behind').to.deep.equal([]);
  const heads = await versionHeads(url, schema);
  const at = heads.length === 0 ? -1 : chain.findIndex((r) => r.id === heads[0]);
  expect(heads.length <= 1 && (heads.length === 0 || at >= 0), `version table ${heads.join(', ')}`).to.equal(true);
  const tables = new Set((await query<{ t: string }>(url, 'select tablename as t from pg_tables where schemaname = $1', [schema])).map((r) => r.t));
  const indexes = new Set(
    (
      await query<{ i: string }>(
        url,
        'select c.relname as i from pg_index x join pg_class c on c.oid = x.indexrelid where c.relnamespace = $1::regnamespace and x.indisvalid',
        [schema],
      )
    ).map((r) => r.i),
  );
  chain.forEach((r, i) => {
    const present = isNonTransactional(r) ? indexes.has(`ix_${r.id}`) : tables.has(tableOf(r));
    expect(present, `object of ${r.id} (${i <= at ? 'committed' : 'not committed'})`).to.equal(i <= at);
  });
  return heads;
}

export async function versionHeads(url: string, schema: string): Promise<string[]> {
  const exists = await query<{ t: string | null }>(url, "select to_regclass(quote_ident($1) || '.alembic_version')::text as t", [schema]);
  if (!exists[0]!.t) return [];
  return (await query<{ v: string }>(url, `select version_num as v from "${schema}".alembic_version order by 1`)).map((r) => r.v);
}

/** INVALID indexes of a schema (what a failed CREATE INDEX CONCURRENTLY leaves). */
export async function invalidIndexes(url: string, schema: string): Promise<string[]> {
  return (
    await query<{ i: string }>(
      url,
      'select c.relname as i from pg_index x join pg_class c on c.oid = x.indexrelid where c.relnamespace = $1::regnamespace and not x.indisvalid',
      [schema],
    )
  ).map((r) => r.i);
}

/** `t_<id>`: the table a transactional chain revision creates. */
export function tableOf(r: RevisionSpec): string {
  return `t_${r.id}`;
}

function isNonTransactional(r: RevisionSpec): boolean {
  return (r.extra ?? '').includes('transactional = false');
}

/**
 * A chain of revisions. A transactional one creates its table `t_<id>`, then runs `then` (SQL,
 * e.g. a sleep that leaves time to interrupt it); a non-transactional one builds index `ix_<id>`
 * concurrently on the previous revision's table, then runs `then`.
 */
export function chain(specs: ReadonlyArray<{ id: string; then?: string; nonTransactional?: boolean }>): RevisionSpec[] {
  const out: RevisionSpec[] = [];
  for (const s of specs) {
    const down = out.length > 0 ? out[out.length - 1]!.id : null;
    const then = s.then ? `\n  await ctx.sql\`${s.then}\`.execute(ctx.db);` : '';
    if (s.nonTransactional) {
      if (!down) throw new Error('a non-transactional chain revision indexes the table before it');
      out.push({
        id: s.id,
        down,
        message: `index t_${down}`,
        extra: 'export const transactional = false;',
        up: `  await ctx.sql\`create index concurrently \${ctx.sql.id('ix_${s.id}')} on \${ctx.sql.id(ctx.schema, 't_${down}')} (id)\`.execute(ctx.db);${then}`,
        downBody: `  await ctx.sql\`drop index concurrently if exists \${ctx.sql.id(ctx.schema, 'ix_${s.id}')}\`.execute(ctx.db);`,
      });
      continue;
    }
    out.push({
      id: s.id,
      down,
      message: `create t_${s.id}`,
      up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('t_${s.id}').addColumn('id', 'integer').execute();${then}`,
      downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('t_${s.id}').execute();`,
    });
  }
  return out;
}

/**
 * Starts `upgrade head` and holds it inside a CREATE INDEX CONCURRENTLY once the index exists
 * (still INVALID): an open transaction with a snapshot, which the build waits for, is kept by
 * this helper until `release()`. Returns the process and the backend running the build.
 */
export async function upgradeInIndexBuild(url: string, cwd: string): Promise<{ run: Running; pid: number; release(): Promise<void> }> {
  const blocker = new Client({ connectionString: url });
  await blocker.connect();
  try {
    await blocker.query('begin isolation level repeatable read; select 1');
    const run = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd });
    const pid = await waitFor('the index build to wait', () => backendRunning(url, 'create index concurrently'));
    await waitFor('the index to exist', async () => (await invalidIndexes(url, 'crmp')).length > 0 || undefined);
    return { run, pid, release: () => blocker.end() };
  } catch (error) {
    await blocker.end();
    throw error;
  }
}

/** The last stderr line is the one `migrate: error: ...` line, and nothing else was printed to stderr. */
export function expectOneErrorLine(stderr: string, pattern: RegExp): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('lint: '));
  const errors = lines.filter((l) => l.startsWith('migrate: error: '));
  expect(errors, stderr).to.have.length(1);
  expect(
    lines.filter((l) => /^\s+at |Unhandled|node:internal/.test(l)),
    stderr,
  ).to.deep.equal([]);
  expect(errors[0]).to.match(pattern);
  return errors[0]!;
}

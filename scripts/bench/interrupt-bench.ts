/**
 * Ctrl-C to lock release: how long after SIGINT reaches `migrate upgrade` the target's migration
 * lock is free again (the running statement cancelled on the server, the transaction rolled
 * back, the lock released), and how long until the process has exited.
 * Run: `npm run build && npx tsx scripts/bench/interrupt-bench.ts [rounds]` (default 10), with
 * TEST_DATABASE_URL (or DATABASE_URL) naming a server where it may create and drop a database.
 *
 * Each round: a fresh project whose second revision runs `pg_sleep(30)` (or inserts 4M rows, every
 * other round), one `upgrade head` started; once that statement is running on the server, SIGINT
 * to the process; then a separate connection polls pg_locks every millisecond until no advisory
 * lock is held in the database. Prints the median, minimum and maximum of both times.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

const ROUNDS = Number(process.argv[2] ?? 10);
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'migrate.js');
const SERVER = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function project(url: string, statement: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-interrupt-'));
  fs.writeFileSync(path.join(dir, 'alembic.ini'), `[alembic]\nscript_location = revisions\n\n[dev]\nsqlalchemy.url = ${url}\n`);
  fs.mkdirSync(path.join(dir, 'revisions'));
  const revision = (id: string, down: string | null, body: string) =>
    `export const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport async function upgrade(ctx: any) {\n${body}\n}\nexport async function downgrade() {}\n`;
  fs.writeFileSync(
    path.join(dir, 'revisions', 'a0000000001_t.ts'),
    revision('a0000000001', null, "  await ctx.sql`create table ${ctx.sql.id(ctx.schema, 't')} (n bigint)`.execute(ctx.db);"),
  );
  fs.writeFileSync(
    path.join(dir, 'revisions', 'b0000000002_slow.ts'),
    revision('b0000000002', 'a0000000001', `  await ctx.sql\`${statement}\`.execute(ctx.db);`),
  );
  return dir;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`no ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function round(url: string, statement: string): Promise<{ lockFreeMs: number; exitMs: number }> {
  const dir = project(url, statement);
  const watcher = new Client({ connectionString: url });
  await watcher.connect();
  try {
    await watcher.query('create schema if not exists crmp; drop table if exists crmp.t, crmp.alembic_version, crmp.alembic_version_history');
    const child = spawn(process.execPath, [BIN, '-x', 'db=dev', 'upgrade', 'head'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', () => resolve(performance.now())));
    const marker = statement.includes('generate_series') ? 'generate_series(1, 4000000)' : statement;
    await poll(
      'running statement',
      async () => {
        if (child.exitCode !== null) throw new Error(`migrate exited early: ${stderr}`);
        return (
          await watcher.query("select 1 from pg_stat_activity where state = 'active' and position($1 in query) > 0 and pid <> pg_backend_pid()", [marker])
        ).rowCount
          ? true
          : undefined;
      },
      30_000,
    );
    const sent = performance.now();
    child.kill('SIGINT');
    const freed = await poll(
      'free lock',
      async () =>
        (
          await watcher.query(
            "select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
          )
        ).rowCount
          ? undefined
          : performance.now(),
      30_000,
    );
    const exit = await exited;
    if (!/Interrupted \(SIGINT\)/.test(stderr)) throw new Error(`unexpected output: ${stderr}`);
    return { lockFreeMs: freed - sent, exitMs: exit - sent };
  } finally {
    await watcher.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!SERVER) throw new Error('Set TEST_DATABASE_URL (or DATABASE_URL) to a server where a database may be created.');
  const name = `retort_interrupt_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = withDatabase(SERVER, name);
  const statements = ['select pg_sleep(30)', "insert into ${ctx.sql.id(ctx.schema, 't')} select g from generate_series(1, 4000000) g"];
  const results: Record<string, Array<{ lockFreeMs: number; exitMs: number }>> = {};
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const statement = statements[i % statements.length]!;
      (results[statement] ??= []).push(await round(url, statement));
    }
  } finally {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
  for (const [statement, rs] of Object.entries(results)) {
    const show = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
    console.log(`${statement.replace(/\$\{[^}]+\}/, 't')} (${rs.length} runs)`);
    console.log(`  SIGINT -> lock free:      ${show(rs.map((r) => r.lockFreeMs))}`);
    console.log(`  SIGINT -> process exited: ${show(rs.map((r) => r.exitMs))}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

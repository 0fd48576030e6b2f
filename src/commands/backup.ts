import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { RetortConfig } from '../config/config';
import { maskSecrets } from '../config/dsn';
import { DatabaseError, RetortError, describeError, type ErrorCode } from '../errors';
import { connectionSettings } from '../target/connection-settings';
import { openSession } from '../target/session';
import { readVersionTable } from '../target/version-table-reader';

/** pg_dump / pg_restore could not run or failed. */
export class BackupError extends RetortError {}

/** `backups/` beside alembic.ini: where `upgrade --backup` writes by default. */
export function backupDirOf(config: RetortConfig): string {
  return path.join(config.dir, 'backups');
}

export interface BackupOptions {
  /** Database URL (may be `embedded:`); its password goes to pg_dump through PGPASSWORD only. */
  readonly url: string;
  readonly schema: string;
  /** Folder for the dump; created if missing. */
  readonly dir: string;
  /** The ini label, used in the file name (else the database name). */
  readonly label?: string;
  /** Folder relative `embedded:` paths are relative to. */
  readonly baseDir?: string;
  /** Environment for pg_dump (PATH, PG* settings); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock, for the file name. */
  readonly now?: Date;
}

export interface BackupResult {
  /** Absolute path of the dump. */
  readonly file: string;
  readonly bytes: number;
  readonly durationMs: number;
}

/**
 * The environment that points libpq tools at `url`: host, port, user and database from the URL,
 * and its password (if any) as PGPASSWORD, so that no secret is ever on a command line.
 *
 * @example
 * ```ts
 * pgConnectionEnv('postgresql://me:s3cret@db:5433/app?sslmode=require', {})
 * // { PGHOST: 'db', PGPORT: '5433', PGUSER: 'me', PGDATABASE: 'app', PGPASSWORD: 's3cret', PGSSLMODE: 'require' }
 * ```
 */
export function pgConnectionEnv(url: string, base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env = definedOnly(base);
  const u = new URL(url);
  const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1');
  if (host) env.PGHOST = host;
  env.PGPORT = u.port || u.searchParams.get('port') || env.PGPORT || '5432';
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (db) env.PGDATABASE = db;
  const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  if (password) env.PGPASSWORD = password;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

function definedOnly(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  return env;
}

/** `dev_crmp_20240501T120304Z.dump` */
export function backupFileName(options: { label?: string | undefined; database: string; schema: string; now: Date }): string {
  const stamp = options.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const who = (options.label ?? options.database).replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${who}_${options.schema}_${stamp}.dump`;
}

/**
 * Dumps one schema with `pg_dump --format=custom --schema=<schema>` into
 * `<dir>/<label-or-db>_<schema>_<UTC timestamp>.dump`. The password reaches pg_dump only through
 * PGPASSWORD. `upgrade --backup` calls it before running anything.
 *
 * @example
 * ```ts
 * const { file } = await backupSchema({ url, schema: 'crmp', dir: backupDirOf(config), label: 'dev' });
 * // file: '/srv/app/backups/dev_crmp_20240501T120304Z.dump'
 * ```
 * @throws BackupError `PG_DUMP_MISSING` when pg_dump is not on PATH, `BACKUP_FAILED` when it fails;
 *   DatabaseError `NO_SCHEMA` when the schema does not exist (nothing to back up).
 */
export async function backupSchema(options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const name = options.label ? `database ${options.label}` : 'the database';
  prepareBackupDir(options.dir);
  const conn = await openSession({ settings: connectionSettings(options.url, options.env ?? process.env), name, baseDir: options.baseDir ?? process.cwd() });
  try {
    if ((await countSchemaObjects(conn.db, options.schema)) === undefined) {
      throw new DatabaseError(
        'NO_SCHEMA',
        `Schema "${options.schema}" does not exist in ${name}: there is nothing to back up. Check -x schema= / SCHEMA_NAME.`,
      );
    }
    const env = pgConnectionEnv(conn.url, options.env ?? process.env);
    const base = backupFileName({ label: options.label, database: env.PGDATABASE ?? 'db', schema: options.schema, now: options.now ?? new Date() });
    const file = reserveFile(options.dir, base);
    // A double-quoted pattern matches the schema name exactly (case and all).
    const args = ['--format=custom', `--schema="${options.schema}"`, `--file=${file}`, '--no-password'];
    await runTool('pg_dump', args, env, [options.url, conn.url], `back up schema "${options.schema}" of ${name}`).catch((error: unknown) => {
      fs.rmSync(file, { force: true });
      throw error;
    });
    return { file, bytes: fs.statSync(file).size, durationMs: Math.round(performance.now() - started) };
  } finally {
    await conn.close();
  }
}

/** Filesystems that hold no files of ours: proc, sysfs, cgroup, debugfs, devpts, securityfs. */
const PSEUDO_FILESYSTEMS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x1cd1, 0x73636673]);

/**
 * Makes the backup folder, or says why it cannot be one, before anything connects: a path that
 * is (or goes through) a file, a pseudo-filesystem such as /proc, or a folder this user may not
 * write. Folders are made one level at a time (a recursive mkdir can loop forever on /proc).
 */
export function prepareBackupDir(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let existing = target;
  while (!fs.existsSync(existing)) {
    missing.unshift(existing);
    const up = path.dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  const fail = (why: string, cause?: unknown) =>
    new BackupError('BACKUP_DIR', `Cannot keep backups in ${target}: ${why}. Pass --dir (or --backup=<dir>) a folder you may write.`, { cause });
  if (!fs.statSync(existing).isDirectory()) throw fail(`${existing} is a file, not a folder`);
  const type = fs.statfsSync(existing).type;
  if (PSEUDO_FILESYSTEMS.has(type)) throw fail(`${existing} is on a system pseudo-filesystem, not a disk`);
  try {
    for (const m of missing) fs.mkdirSync(m);
    fs.accessSync(target, fs.constants.W_OK);
  } catch (cause) {
    throw fail((cause as NodeJS.ErrnoException).code === 'EACCES' ? 'this user may not write there' : (cause as Error).message, cause);
  }
}

/** Creates `<dir>/<base>` (or `_2`, `_3`, ... when taken) so that no other run can pick the same name. */
function reserveFile(dir: string, base: string): string {
  for (let n = 1; n <= 1000; n++) {
    const file = path.resolve(dir, n === 1 ? base : base.replace(/\.dump$/, `_${n}.dump`));
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BackupError('BACKUP_DIR', `Cannot create ${file}: ${(error as Error).message}. Pass --dir a folder you may write.`, { cause: error });
      }
    }
  }
  throw new BackupError('BACKUP_DIR', `${dir} already holds 1000 dumps named ${base}: clean it up or pass another --dir.`);
}

export interface RestoreOptions {
  readonly url: string;
  /** A dump written by {@link backupSchema} (or any `pg_dump --format=custom --schema=...`). */
  readonly file: string;
  /** The schema the caller expects; an error if the dump holds another one. */
  readonly schema?: string;
  readonly label?: string;
  readonly baseDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Skip ownership (ALTER ... OWNER TO), for a server where the dump's roles do not exist. */
  readonly noOwner?: boolean;
  /** Skip GRANT / REVOKE. */
  readonly noPrivileges?: boolean;
  /** The version table to report the restored revision from; default `alembic_version`. */
  readonly versionTable?: string;
}

export interface RestoreResult {
  readonly file: string;
  readonly schema: string;
  /** The revisions in the restored version table (empty when it has none). */
  readonly heads: readonly string[];
  readonly durationMs: number;
}

/**
 * Restores a schema dump with pg_restore, in one transaction, into a database where that schema is
 * missing or empty. A schema that holds any object is refused before anything is written.
 *
 * @example
 * ```ts
 * await restoreSchema({ url: 'postgresql://me@db/fresh', file: 'backups/dev_crmp_20240501T120304Z.dump' });
 * // { schema: 'crmp', heads: ['7a3b9c0d1e2f'], ... }
 * ```
 */
export async function restoreSchema(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const file = path.resolve(options.file);
  if (!fs.existsSync(file)) throw new BackupError('RESTORE_NO_FILE', `${file} does not exist. Name a dump written by "migrate backup" or "upgrade --backup".`);
  const env0 = options.env ?? process.env;
  const toc = await runTool('pg_restore', ['--list', file], definedOnly(env0), [], `read ${file}`, 'RESTORE_BAD_FILE');
  const schema = dumpedSchema(toc.stdout, file);
  if (options.schema !== undefined && options.schema !== schema) {
    throw new BackupError(
      'RESTORE_SCHEMA_MISMATCH',
      `${file} holds schema "${schema}", not "${options.schema}"; pg_restore cannot rename a schema. Drop -x schema= (or SCHEMA_NAME), or restore into a database where "${schema}" is free.`,
    );
  }
  const name = options.label ? `database ${options.label}` : 'the database';
  const conn = await openSession({ settings: connectionSettings(options.url, env0), name, baseDir: options.baseDir ?? process.cwd() });
  const listFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retort-restore-')), 'toc.list');
  try {
    const count = await countSchemaObjects(conn.db, schema);
    if (count !== undefined && count > 0) {
      throw new BackupError(
        'RESTORE_SCHEMA_NOT_EMPTY',
        `Schema "${schema}" in ${name} already holds ${count} object${count === 1 ? '' : 's'}; restore writes only into an empty or missing schema. Drop it first (DROP SCHEMA "${schema}" CASCADE) or restore into another database.`,
      );
    }
    // An existing (empty) schema must not be created again: leave its SCHEMA entry out of the list.
    const lines = toc.stdout.split('\n').filter((l) => count === undefined || !isSchemaEntry(l, schema));
    fs.writeFileSync(listFile, lines.join('\n'));
    const env = pgConnectionEnv(conn.url, env0);
    const db = env.PGDATABASE ?? '';
    const args = [
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--use-list=${listFile}`,
      `--dbname=dbname='${db.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    ];
    if (options.noOwner) args.push('--no-owner');
    if (options.noPrivileges) args.push('--no-privileges');
    args.push(file);
    await runTool('pg_restore', args, env, [options.url, conn.url], `restore ${file} into ${name}`, 'RESTORE_FAILED');
    const heads = (await readVersionTable(conn.db, { schema, table: options.versionTable ?? 'alembic_version' })).heads ?? [];
    return { file, schema, heads, durationMs: Math.round(performance.now() - started) };
  } finally {
    fs.rmSync(path.dirname(listFile), { recursive: true, force: true });
    await conn.close();
  }
}

/** `5; 2615 16386 SCHEMA - crmp postgres` */
function isSchemaEntry(line: string, schema?: string): boolean {
  const m = /^\s*\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)\s/.exec(line);
  return m !== null && (schema === undefined || m[1] === schema);
}

/** The one schema a dump holds, from `pg_restore --list`. */
function dumpedSchema(toc: string, file: string): string {
  const schemas = new Set<string>();
  for (const line of toc.split('\n')) {
    const m = /^\s*\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)\s/.exec(line);
    if (m) schemas.add(m[1]!);
  }
  if (schemas.size !== 1) {
    throw new BackupError(
      'RESTORE_BAD_FILE',
      `${file} holds ${schemas.size === 0 ? 'no schema' : `${schemas.size} schemas (${[...schemas].join(', ')})`}; restore takes a one-schema dump written by "migrate backup" or "upgrade --backup".`,
    );
  }
  return [...schemas][0]!;
}

/** Objects in a schema (relations, routines, types, ...), or undefined when it does not exist. */
async function countSchemaObjects(db: Kysely<any>, schema: string): Promise<number | undefined> {
  const r = await sql<{ exists: boolean; n: number }>`
    select exists (select 1 from pg_namespace where nspname = ${schema}) as exists,
      (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema})
    + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ${schema})
    + (select count(*) from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = ${schema} and t.typrelid = 0 and not (t.typcategory = 'A' and t.typelem <> 0))
    + (select count(*) from pg_collation o join pg_namespace n on n.oid = o.collnamespace where n.nspname = ${schema})
    + (select count(*) from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where n.nspname = ${schema})
    + (select count(*) from pg_extension e join pg_namespace n on n.oid = e.extnamespace where n.nspname = ${schema})
    + (select count(*) from pg_ts_config o join pg_namespace n on n.oid = o.cfgnamespace where n.nspname = ${schema}) ::int as n`.execute(db);
  const row = r.rows[0]!;
  return row.exists ? Number(row.n) : undefined;
}

/**
 * Runs a PostgreSQL client tool. Its password comes from the environment only; error output is
 * masked before it is shown.
 */
function runTool(
  tool: 'pg_dump' | 'pg_restore',
  args: readonly string[],
  env: Record<string, string>,
  secrets: readonly string[],
  what: string,
  failCode: ErrorCode = 'BACKUP_FAILED',
): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (cause: NodeJS.ErrnoException) => {
      const missing = cause.code === 'ENOENT';
      reject(
        new BackupError(
          missing ? (tool === 'pg_dump' ? 'PG_DUMP_MISSING' : 'PG_RESTORE_MISSING') : failCode,
          missing
            ? `${tool} is not installed or not on PATH, so Retort cannot ${what}. Install the PostgreSQL client tools (e.g. "apt-get install postgresql-client", the same major version as the server or newer) and run again.`
            : `${tool} could not start (${describeError(cause)}), so Retort cannot ${what}. Check the PostgreSQL client installation.`,
          { cause },
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) return resolve({ stdout });
      const why = maskSecrets(firstError(stderr) || `exit code ${code}`, env.PGPASSWORD ? [...secrets, env.PGPASSWORD] : secrets);
      reject(new BackupError(failCode, `${tool} failed to ${what}: ${why}. Fix the cause and run again.`));
    });
  });
}

/** The first `pg_dump: error: ...` line (without the tool prefix). */
function firstError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error:/.test(l)) ?? lines[0] ?? '';
  return line.replace(/^pg_(dump|restore):\s*(error:\s*)?/, '');
}

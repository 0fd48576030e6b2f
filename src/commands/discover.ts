import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool, type ClientConfig, type PoolConfig } from 'pg';
import { parseConfig } from '../config/config';
import { maskSecrets } from '../config/dsn';
import { ConfigError, DatabaseError, describeError } from '../errors';
import { connectionError } from '../runtime/connection';

export interface DiscoverOptions {
  /** The `[label]` section to add or update. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Variable that holds the password when the server asks for one; default PGPASSWORD. */
  readonly passwordEnv?: string;
  /** Absolute path of the ini file; created (with `[alembic]`) if missing. */
  readonly iniPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface DiscoveredSchema {
  readonly name: string;
  readonly versionTable: boolean;
  /** Rows of the version table; undefined when it could not be read. */
  readonly revisions: readonly string[] | undefined;
  readonly error?: string;
}

export interface DiscoverResult {
  readonly label: string;
  /** The URL as written to the ini file: a `${VAR}` reference, never a password. */
  readonly url: string;
  readonly ini: string;
  readonly action: 'added' | 'updated' | 'unchanged';
  readonly serverVersion: string;
  /** How the server authenticated us: no password, the variable, or pg's own fallback (~/.pgpass). */
  readonly password: 'none' | 'variable' | 'pgpass';
  readonly versionTable: string;
  readonly schemas: readonly DiscoveredSchema[];
}

/** Sections of alembic.ini that are never database labels. */
const RESERVED = /^(alembic|loggers|handlers|formatters|post_write_hooks|logger_.*|handler_.*|formatter_.*)$/;

/**
 * The URL written to the ini file for a server: `postgresql://user[:${VAR}]@host:port/database`.
 *
 * @example
 * ```ts
 * discoveryUrl({ host: 'db', port: 5432, user: 'me', database: 'crmp' }, 'PGPASSWORD')
 * // 'postgresql://me:${PGPASSWORD}@db:5432/crmp'
 * ```
 */
export function discoveryUrl(o: Pick<DiscoverOptions, 'host' | 'port' | 'user' | 'database'>, passwordVar: string | undefined): string {
  const secret = passwordVar ? `:\${${passwordVar}}` : '';
  const user = encodeURIComponent(o.user);
  const db = encodeURIComponent(o.database);
  if (o.host.startsWith('/')) return `postgresql://${user}${secret}@/${db}?host=${encodeURIComponent(o.host)}&port=${o.port}`;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return `postgresql://${user}${secret}@${host}:${o.port}/${db}`;
}

/**
 * Sets `sqlalchemy.url` of section `[label]` in the text of an ini file, keeping every other line,
 * comment and blank line as it is: an existing `sqlalchemy.url` (or `url`) line is rewritten in
 * place, a section without one gets it under its header, a missing section is appended.
 *
 * @example
 * ```ts
 * upsertIniUrl('[alembic]\nscript_location = revisions\n', 'dev', 'postgresql://me@db:5432/x')
 * // { text: '[alembic]\nscript_location = revisions\n\n[dev]\nsqlalchemy.url = postgresql://me@db:5432/x\n', action: 'added' }
 * ```
 */
export function upsertIniUrl(text: string, label: string, url: string): { text: string; action: DiscoverResult['action'] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const isHeader = (l: string) => /^\s*\[[^\]]*\]\s*([;#].*)?$/.test(l);
  const start = lines.findIndex((l) => isHeader(l) && l.trim().replace(/\s*[;#].*$/, '').slice(1, -1).trim() === label);
  if (start === -1) {
    let out = text;
    if (out !== '' && !out.endsWith('\n')) out += eol;
    if (out.trim() !== '' && !/\n[ \t]*\r?\n$/.test(out)) out += eol;
    return { text: `${out}[${label}]${eol}sqlalchemy.url = ${url}${eol}`, action: 'added' };
  }
  let end = lines.findIndex((l, i) => i > start && isHeader(l));
  if (end === -1) end = lines.length;
  const key = /^(\s*)(sqlalchemy\.url|url)(\s*[=:]\s*)(.*)$/;
  const body = lines.slice(start + 1, end);
  let at = body.findIndex((l) => key.exec(l)?.[2] === 'sqlalchemy.url');
  if (at === -1) at = body.findIndex((l) => key.test(l));
  if (at === -1) {
    lines.splice(start + 1, 0, `sqlalchemy.url = ${url}`);
    return { text: lines.join(eol), action: 'updated' };
  }
  const m = key.exec(body[at]!)!;
  if (m[4]!.trim() === url) return { text, action: 'unchanged' };
  lines[start + 1 + at] = `${m[1]}${m[2]}${m[3]}${url}`;
  return { text: lines.join(eol), action: 'updated' };
}

/**
 * `migrate discover`: connects to a server to prove the settings work, lists its schemas with their
 * version tables, and records the server as `[label]` in alembic.ini. A password, when the server
 * asks for one, is written as a `${VAR}` reference, never as itself.
 *
 * @example
 * ```ts
 * await discover({ label: 'dev', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'crmp',
 *   iniPath: '/srv/app/alembic.ini', env: process.env });
 * // { url: 'postgresql://postgres@127.0.0.1:5432/crmp', action: 'added', serverVersion: '15.20', ... }
 * ```
 */
export async function discover(options: DiscoverOptions): Promise<DiscoverResult> {
  validate(options);
  const variable = options.passwordEnv ?? 'PGPASSWORD';
  const existing = readIni(options.iniPath);
  const versionTable = existing === undefined ? 'alembic_version' : parseConfig(existing, options.iniPath).versionTable;
  const plainUrl = discoveryUrl(options, undefined);
  const name = `label ${options.label}`;
  let asked = false;
  const secret = options.env[variable];
  const config = { host: options.host, port: options.port, user: options.user, database: options.database, connectionTimeoutMillis: 15000, application_name: 'retort discover' };
  let password: DiscoverResult['password'] = 'none';
  try {
    await probe({
      ...config,
      password: async () => {
        asked = true;
        if (secret === undefined || secret === '') throw new Error(`the server asks for a password and ${variable} is not set`);
        return secret;
      },
    });
    if (asked) password = 'variable';
  } catch (cause) {
    if (!asked || (secret !== undefined && secret !== '')) throw connectionError({ url: plainUrl, name }, cause);
    // No variable: let pg try its own fallback (~/.pgpass), as it will when the label is used.
    try {
      await probe(config);
      password = 'pgpass';
    } catch (again) {
      throw new DatabaseError(
        'PASSWORD_NEEDED',
        `${options.host}:${options.port} asks user ${options.user} for a password, and neither ${variable} nor ~/.pgpass has one. Export ${variable} (or name another variable with --password-env) and run again.`,
        { cause: again },
      );
    }
  }
  const db = await open(password === 'variable' ? { ...config, password: secret } : config).catch((cause: unknown) => {
    throw connectionError({ url: plainUrl, name }, cause);
  });
  let serverVersion: string;
  let schemas: DiscoveredSchema[];
  try {
    serverVersion = (await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!.server_version;
    schemas = await readSchemas(db, versionTable);
  } catch (cause) {
    throw new DatabaseError('DISCOVER_FAILED', `Connected to ${plainUrl} but could not list its schemas: ${maskSecrets(describeError(cause))}. Check the user's privileges.`, { cause });
  } finally {
    await db.destroy().catch(() => undefined);
  }
  const url = discoveryUrl(options, password === 'variable' ? variable : undefined);
  const before = existing ?? '[alembic]\nscript_location = revisions\n';
  const edit = upsertIniUrl(before, options.label, url);
  // Prove the edited file still parses and names this URL before it replaces the old one.
  const parsed = parseConfig(edit.text, options.iniPath);
  if (parsed.labels.get(options.label)?.rawUrl !== url) {
    throw new ConfigError('DISCOVER_EDIT_FAILED', `Could not set [${options.label}] sqlalchemy.url in ${options.iniPath} without breaking it. Edit the file by hand: sqlalchemy.url = ${url}`);
  }
  if (edit.action !== 'unchanged' || existing === undefined) writeAtomic(options.iniPath, edit.text);
  return { label: options.label, url, ini: options.iniPath, action: existing === undefined ? 'added' : edit.action, serverVersion, password, versionTable, schemas };
}

function validate(o: DiscoverOptions): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(o.label) || RESERVED.test(o.label)) problems.push(`--label ${JSON.stringify(o.label)} is not a usable label (letters, digits, _ . -; not "alembic")`);
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) problems.push(`--port ${o.port} is not a port number`);
  if (o.host.trim() === '') problems.push('--host is empty');
  if (o.user.trim() === '') problems.push('--user is empty');
  if (o.database.trim() === '') problems.push('--database is empty');
  if (o.passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.passwordEnv)) problems.push(`--password-env ${JSON.stringify(o.passwordEnv)} is not an environment variable name`);
  if (problems.length > 0) throw new ConfigError('BAD_DISCOVER_ARGS', `${problems.join('; ')}. Fix the arguments and run again.`);
}

function readIni(iniPath: string): string | undefined {
  try {
    return fs.readFileSync(iniPath, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('NO_CONFIG', `Cannot read ${iniPath}: ${describeError(cause)}. Pass -c <file> or fix its permissions.`, { cause });
  }
}

/**
 * Connects once and disconnects, to learn how the server authenticates us. A plain client, because
 * after a failed authentication only its end() closes the socket (a pool's would linger until
 * the server's authentication_timeout).
 */
async function probe(config: ClientConfig): Promise<void> {
  const client = new Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One session (pool of one); `select 1` proves it works. */
async function open(config: PoolConfig): Promise<Kysely<any>> {
  const pool = new Pool({ ...config, max: 1 });
  // An idle session that dies must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
    return db;
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}

/** Every non-system schema, whether it has the version table, and the revisions in it. */
async function readSchemas(db: Kysely<any>, versionTable: string): Promise<DiscoveredSchema[]> {
  const r = await sql<{ name: string; has_table: boolean }>`
    select n.nspname as name, to_regclass(format('%I.%I', n.nspname, ${versionTable}::text)) is not null as has_table
      from pg_namespace n
     where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
     order by 1`.execute(db);
  const out: DiscoveredSchema[] = [];
  for (const row of r.rows) {
    if (!row.has_table) {
      out.push({ name: row.name, versionTable: false, revisions: [] });
      continue;
    }
    try {
      const v = await sql<{ version_num: string }>`select version_num from ${sql.id(row.name, versionTable)} order by 1`.execute(db);
      out.push({ name: row.name, versionTable: true, revisions: v.rows.map((x) => x.version_num) });
    } catch (cause) {
      out.push({ name: row.name, versionTable: true, revisions: undefined, error: describeError(cause) });
    }
  }
  return out;
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

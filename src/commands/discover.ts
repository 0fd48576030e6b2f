import * as fs from 'node:fs';
import * as path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { parseConfig } from '../config/config';
import { maskSecrets } from '../config/dsn';
import { ConfigError, DatabaseError, RetortError, describeError } from '../errors';
import type { ConnectionSettings } from '../target/connection-settings';
import { connectionError } from '../target/connection-error';
import { openSession, type Session } from '../target/session';
import { readVersionTable } from '../target/version-table-reader';

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
  const start = lines.findIndex(
    (l) =>
      isHeader(l) &&
      l
        .trim()
        .replace(/\s*[;#].*$/, '')
        .slice(1, -1)
        .trim() === label,
  );
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
  const config: ConnectionSettings = { url: plainUrl, connectTimeoutMs: 15000 };
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
  const session = await open(password === 'variable' && secret !== undefined ? { ...config, password: secret } : config, name);
  let serverVersion: string;
  let schemas: DiscoveredSchema[];
  try {
    serverVersion = (await sql<{ server_version: string }>`show server_version`.execute(session.db)).rows[0]!.server_version;
    schemas = await readSchemas(session.db, versionTable);
  } catch (cause) {
    throw new DatabaseError(
      'DISCOVER_FAILED',
      `Connected to ${plainUrl} but could not list its schemas: ${maskSecrets(describeError(cause))}. Check the user's privileges.`,
      { cause },
    );
  } finally {
    await session.close();
  }
  const url = discoveryUrl(options, password === 'variable' ? variable : undefined);
  const before = existing ?? '[alembic]\nscript_location = revisions\n';
  const edit = upsertIniUrl(before, options.label, url);
  // Prove the edited file still parses and names this URL before it replaces the old one.
  const parsed = parseConfig(edit.text, options.iniPath);
  if (parsed.labels.get(options.label)?.rawUrl !== url) {
    throw new ConfigError(
      'DISCOVER_EDIT_FAILED',
      `Could not set [${options.label}] sqlalchemy.url in ${options.iniPath} without breaking it. Edit the file by hand: sqlalchemy.url = ${url}`,
    );
  }
  if (edit.action !== 'unchanged' || existing === undefined) writeAtomic(options.iniPath, edit.text);
  return {
    label: options.label,
    url,
    ini: options.iniPath,
    action: existing === undefined ? 'added' : edit.action,
    serverVersion,
    password,
    versionTable,
    schemas,
  };
}

function validate(o: DiscoverOptions): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(o.label) || RESERVED.test(o.label))
    problems.push(`--label ${JSON.stringify(o.label)} is not a usable label (letters, digits, _ . -; not "alembic")`);
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) problems.push(`--port ${o.port} is not a port number`);
  if (o.host.trim() === '') problems.push('--host is empty');
  if (o.user.trim() === '') problems.push('--user is empty');
  if (o.database.trim() === '') problems.push('--database is empty');
  if (o.passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.passwordEnv))
    problems.push(`--password-env ${JSON.stringify(o.passwordEnv)} is not an environment variable name`);
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

/** Connects once and disconnects, to learn how the server authenticates us; throws the driver's own error. */
async function probe(settings: ConnectionSettings): Promise<void> {
  const session = await openSession({ settings, name: 'the server', baseDir: process.cwd(), applicationName: 'retort discover' }).catch((error: unknown) => {
    throw error instanceof RetortError && error.cause !== undefined ? error.cause : error;
  });
  await session.close();
}

function open(settings: ConnectionSettings, name: string): Promise<Session> {
  return openSession({ settings, name, baseDir: process.cwd(), applicationName: 'retort discover' });
}

/** Every non-system schema, whether it has the version table, and the revisions in it. */
async function readSchemas(db: Kysely<any>, versionTable: string): Promise<DiscoveredSchema[]> {
  const r = await sql<{ name: string }>`
    select n.nspname as name from pg_namespace n
     where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
     order by 1`.execute(db);
  const out: DiscoveredSchema[] = [];
  for (const { name } of r.rows) {
    try {
      const state = await readVersionTable(db, { schema: name, table: versionTable });
      out.push({ name, versionTable: state.heads !== undefined, revisions: state.heads ?? [] });
    } catch (cause) {
      out.push({ name, versionTable: true, revisions: undefined, error: describeError(cause) });
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

import { ConfigError } from '../errors';

/**
 * Normalises a database address from alembic.ini, the command line or the environment:
 * `postgres://` and SQLAlchemy's `postgresql+psycopg2://` become `postgresql://`; a libpq
 * keyword DSN (`host=db port=5432 dbname=x user=me password=...`) becomes the equivalent URL;
 * `embedded:<dir>` (the server-less local database) is kept as it is.
 *
 * @example
 * ```ts
 * normalizeUrl('postgresql+psycopg://u@h:5432/db', 'label dev') // 'postgresql://u@h:5432/db'
 * normalizeUrl("host=db dbname=crmp user=me password='s p'", '--url') // 'postgresql://me:s%20p@db/crmp'
 * ```
 */
export function normalizeUrl(raw: string, where: string): string {
  const url = raw.trim();
  if (url.startsWith('embedded:')) {
    if (url.length === 'embedded:'.length) throw badUrl(url, where, 'embedded: needs a folder, e.g. embedded:./.retort/local');
    return url;
  }
  if (isKeywordDsn(url)) return keywordDsnToUrl(url, where);
  const m = /^(postgres|postgresql)(\+[a-z0-9_]+)?:\/\//i.exec(url);
  if (!m) throw badUrl(url, where, 'expected postgresql://user@host:port/database or host=... dbname=... keywords');
  const normalized = 'postgresql://' + url.slice(m[0].length);
  let parsed: URL;
  try {
    parsed = new URL(normalized);
  } catch (cause) {
    throw badUrl(url, where, 'it does not parse as a URL', cause);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) throw badUrl(url, where, 'it names no host');
  checkSslMode(parsed.searchParams.get('sslmode'), url, where);
  return normalized;
}

/** libpq's sslmode values: any other would otherwise be taken as "use SSL" and fail as a server without SSL. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
function checkSslMode(mode: string | null | undefined, url: string, where: string): void {
  if (mode !== null && mode !== undefined && !SSL_MODES.includes(mode)) throw badUrl(url, where, `sslmode=${mode} is not one of ${SSL_MODES.join(', ')}`);
}

function badUrl(url: string, where: string, why: string, cause?: unknown): ConfigError {
  return new ConfigError('BAD_DSN', `${where}: database address ${maskUrl(url)} is not usable (${why}). Fix it in alembic.ini or --url.`, { cause });
}

/** True for a libpq keyword/value connection string (`host=... dbname=...`). */
export function isKeywordDsn(text: string): boolean {
  return /^\s*[a-z_]+\s*=/i.test(text) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
}

/** libpq keywords that map to parts of the URL; any other known keyword becomes a query parameter. */
const URL_PARTS = new Set(['host', 'hostaddr', 'port', 'dbname', 'user', 'password']);
const KNOWN_KEYWORDS = new Set([
  ...URL_PARTS,
  'connect_timeout',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslcrl',
  'sslpassword',
  'target_session_attrs',
  'service',
  'passfile',
  'gssencmode',
  'requiressl',
  'sslcompression',
  'channel_binding',
  'krbsrvname',
  'load_balance_hosts',
  'replication',
]);

/**
 * Reads a libpq keyword/value connection string: `key=value` pairs separated by blanks, a value
 * either bare or single-quoted (with `\'` and `\\` escapes).
 *
 * @example
 * ```ts
 * parseKeywordDsn("host=db password='it\\'s' dbname=x") // { host: 'db', password: "it's", dbname: 'x' }
 * ```
 */
export function parseKeywordDsn(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const key = /^[A-Za-z_]+/.exec(s.slice(i))?.[0];
    if (!key) throw new Error(`expected a keyword at "${s.slice(i, i + 10)}"`);
    i += key.length;
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s[i] !== '=') throw new Error(`"${key}" is not followed by =`);
    i++;
    while (i < s.length && /\s/.test(s[i]!)) i++;
    let value = '';
    if (s[i] === "'") {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error(`the value of "${key}" opens a quote it does not close`);
        const c = s[i]!;
        if (c === '\\' && i + 1 < s.length) {
          value += s[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
    }
    out[key.toLowerCase()] = value;
  }
  return out;
}

function keywordDsnToUrl(dsn: string, where: string): string {
  let pairs: Record<string, string>;
  try {
    pairs = parseKeywordDsn(dsn);
  } catch (cause) {
    throw badUrl(dsn, where, (cause as Error).message, cause);
  }
  const unknown = Object.keys(pairs).filter((k) => !KNOWN_KEYWORDS.has(k));
  if (unknown.length > 0) throw badUrl(dsn, where, `unknown keyword${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  const host = pairs.host ?? pairs.hostaddr ?? '';
  const enc = encodeURIComponent;
  const auth = pairs.user !== undefined ? `${enc(pairs.user)}${pairs.password !== undefined ? `:${enc(pairs.password)}` : ''}@` : '';
  // A socket folder cannot stand in the authority part: it goes in ?host=, as libpq's URIs allow.
  const inAuthority = host !== '' && !host.startsWith('/') && !host.includes(',');
  const port = pairs.port !== undefined && inAuthority ? `:${pairs.port}` : '';
  const params = new URLSearchParams();
  if (!inAuthority && host !== '') params.set('host', host);
  if (!inAuthority && pairs.port !== undefined) params.set('port', pairs.port);
  if (pairs.password !== undefined && pairs.user === undefined) params.set('password', pairs.password);
  for (const [k, v] of Object.entries(pairs)) if (!URL_PARTS.has(k)) params.set(k, v);
  const query = params.toString();
  const url = `postgresql://${auth}${inAuthority ? host : ''}${port}/${enc(pairs.dbname ?? '')}${query ? `?${query}` : ''}`;
  if (host === '') throw badUrl(dsn, where, 'it names no host');
  checkSslMode(pairs.sslmode, dsn, where);
  return url;
}

/** Replaces the password of a URL or keyword DSN with `***`. Leaves text without a password unchanged. */
export function maskUrl(url: string): string {
  return maskPasswordForms(url);
}

/** Every form a password takes in a connection string: `user:pw@` in a URL, `?password=`, `password=` keywords. */
function maskPasswordForms(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s'"]*):([^@/?#\s]*)@/gi, '$1:***@')
    .replace(/([?&]password=)[^&\s'"]*/gi, '$1***')
    .replace(/\b(password|sslpassword)(\s*=\s*)('(?:[^'\\]|\\.)*(?:'|$)|[^\s'"&]+)/gi, '$1$2***');
}

/**
 * Removes every password from a text (a driver's error message, a stack trace): the forms of
 * {@link maskUrl} anywhere in it, and the passwords of `secrets` (URLs or keyword DSNs that a
 * command resolved, or raw passwords such as `PGPASSWORD`) wherever they appear, also URL-encoded.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = maskPasswordForms(text);
  for (const secret of secrets) {
    for (const password of passwordsOf(secret)) {
      if (password.length < 3) continue;
      for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
    }
  }
  return out;
}

/** The passwords a secret holds: a URL's or keyword DSN's password, or the text itself when it is neither. */
function passwordsOf(secret: string): string[] {
  if (isKeywordDsn(secret)) {
    try {
      const p = parseKeywordDsn(secret).password;
      return p ? [p] : [];
    } catch {
      return [];
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(secret)) {
    try {
      const u = new URL(secret.replace(/^[a-z][a-z0-9+.-]*:\/\//i, 'postgresql://'));
      const found = [u.password ? decodeURIComponent(u.password) : undefined, u.searchParams.get('password') ?? undefined];
      return found.filter((p): p is string => p !== undefined && p !== '');
    } catch {
      return [];
    }
  }
  if (secret.startsWith('embedded:')) return [];
  return [secret];
}

/** `user@host:port/db`, for messages. */
export function describeUrl(url: string): string {
  if (url.startsWith('embedded:')) return url;
  try {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
    return `${u.username ? decodeURIComponent(u.username) + '@' : ''}${u.hostname || u.searchParams.get('host') || ''}${u.port ? ':' + u.port : ''}/${db}`;
  } catch {
    return maskUrl(url);
  }
}

/** The host (and port) a URL connects to, for "did not answer" messages. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    const port = u.port || u.searchParams.get('port') || '5432';
    return host.startsWith('/') ? `${host} (socket, port ${port})` : `${host}:${port}`;
  } catch {
    return maskUrl(url);
  }
}

/** libpq's default when neither the URL nor `PGCONNECT_TIMEOUT` says: ours is 10 s, not forever. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * How long to wait for a server to accept a connection: the URL's `connect_timeout` (seconds),
 * else `PGCONNECT_TIMEOUT`, else 10 s. As in libpq, 0 or a negative number waits forever
 * (returned as `undefined`) and anything shorter than 2 s counts as 2 s.
 *
 * @example
 * ```ts
 * connectTimeoutMs('postgresql://h/db?connect_timeout=3', {}) // 3000
 * connectTimeoutMs('postgresql://h/db', { PGCONNECT_TIMEOUT: '0' }) // undefined
 * ```
 */
export function connectTimeoutMs(url: string, env: Readonly<Record<string, string | undefined>>): number | undefined {
  let fromUrl: string | null = null;
  try {
    fromUrl = new URL(url).searchParams.get('connect_timeout');
  } catch {
    // embedded: and other non-URLs: only the environment applies
  }
  const raw = fromUrl ?? env.PGCONNECT_TIMEOUT;
  if (raw === undefined || raw === null || raw.trim() === '') return DEFAULT_CONNECT_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || !/^\s*-?\d+\s*$/.test(raw)) {
    throw new ConfigError(
      'BAD_CONNECT_TIMEOUT',
      `connect_timeout ${JSON.stringify(raw)} (${fromUrl !== null ? 'in the database URL' : 'PGCONNECT_TIMEOUT'}) is not a whole number of seconds. Write e.g. connect_timeout=10.`,
    );
  }
  if (seconds <= 0) return undefined;
  return Math.max(2, seconds) * 1000;
}

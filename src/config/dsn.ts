import { ConfigError } from '../errors';

/**
 * Normalises a database URL from alembic.ini or the command line:
 * `postgres://` and SQLAlchemy's `postgresql+psycopg2://` become `postgresql://`;
 * `embedded:<dir>` (the server-less local database) is kept as it is.
 *
 * @example
 * ```ts
 * normalizeUrl('postgresql+psycopg://u@h:5432/db', 'label dev') // 'postgresql://u@h:5432/db'
 * ```
 */
export function normalizeUrl(raw: string, where: string): string {
  const url = raw.trim();
  if (url.startsWith('embedded:')) {
    if (url.length === 'embedded:'.length) throw badUrl(url, where, 'embedded: needs a folder, e.g. embedded:./.retort/local');
    return url;
  }
  const m = /^(postgres|postgresql)(\+[a-z0-9_]+)?:\/\//i.exec(url);
  if (!m) throw badUrl(url, where, 'expected postgresql://user@host:port/database');
  const normalized = 'postgresql://' + url.slice(m[0].length);
  let parsed: URL;
  try {
    parsed = new URL(normalized);
  } catch (cause) {
    throw badUrl(url, where, 'it does not parse as a URL', cause);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) throw badUrl(url, where, 'it names no host');
  return normalized;
}

function badUrl(url: string, where: string, why: string, cause?: unknown): ConfigError {
  return new ConfigError('BAD_DSN', `${where}: database URL ${maskUrl(url)} is not usable (${why}). Fix it in alembic.ini or --url.`, { cause });
}

/** Replaces the password of a URL with `***`. Leaves anything that is not a URL with a password unchanged. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):([^@/?#]*)@/i, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

/** Removes every password of `urls` (and any `user:password@` in URLs) from a text, e.g. a driver error message. */
export function maskSecrets(text: string, urls: readonly string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi, '$1:***@');
  for (const url of urls) {
    const password = passwordOf(url);
    if (password && password.length >= 3) out = out.split(password).join('***');
  }
  return out;
}

function passwordOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : (u.searchParams.get('password') ?? undefined);
  } catch {
    return undefined;
  }
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

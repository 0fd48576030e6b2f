import { connectTimeoutMs } from '../config/dsn';

/** How to reach one database: its URL and how long to wait for it. */
export interface ConnectionSettings {
  /** A `postgresql://` URL, or `embedded:<folder>` for the private local server. May hold a password: never print it. */
  readonly url: string;
  /** How long the server may take to answer a new connection; undefined waits forever (libpq's connect_timeout=0). */
  readonly connectTimeoutMs: number | undefined;
  /** A password to use when the URL has none; a function is asked only if the server wants one (discover). */
  readonly password?: string | (() => Promise<string>);
}

/**
 * The settings of a URL: its `connect_timeout`, else `PGCONNECT_TIMEOUT`, else 10 s (see
 * {@link connectTimeoutMs}).
 *
 * @example
 * ```ts
 * connectionSettings('postgresql://me@db/x?connect_timeout=3', process.env) // { url: '...', connectTimeoutMs: 3000 }
 * ```
 */
export function connectionSettings(url: string, env: Readonly<Record<string, string | undefined>>): ConnectionSettings {
  return { url, connectTimeoutMs: connectTimeoutMs(url, env) };
}

import { describeUrl, hostOf, maskSecrets, maskUrl } from '../config/dsn';
import { DatabaseError, describeError } from '../errors';

/**
 * A one-line, password-free description of why a database could not be reached. A server that
 * accepted the connection and never answered is named with the time it was given.
 *
 * @example
 * ```ts
 * connectionError({ url, name: 'database dev', connectTimeoutMs: 10_000 }, cause).message
 * // 'Cannot connect to database dev (postgresql://me:***@db:5432/x): db:5432 did not answer within 10 s (connect_timeout). ...'
 * ```
 */
export function connectionError(options: { url: string; name: string; connectTimeoutMs?: number | undefined }, cause: unknown): DatabaseError {
  const where = describeUrl(options.url);
  if (isConnectTimeout(cause) && options.connectTimeoutMs !== undefined) {
    return new DatabaseError(
      'CONNECT_TIMEOUT',
      `Cannot connect to ${options.name} (${maskUrl(options.url)}): ${hostOf(options.url)} did not answer within ${Math.round(options.connectTimeoutMs / 1000)} s (connect_timeout in the URL, or PGCONNECT_TIMEOUT). Check that PostgreSQL, not something else, listens there and is not overloaded.`,
      { cause },
    );
  }
  const why = maskSecrets(describeError(cause), [options.url]);
  return new DatabaseError(
    'CONNECT_FAILED',
    `Cannot connect to ${options.name} (${maskUrl(options.url)}): ${why}. Check that the server runs at ${where} and the credentials (password in PGPASSWORD or ~/.pgpass).`,
    { cause },
  );
}

/** pg's own words when `connectionTimeoutMillis` runs out. */
function isConnectTimeout(cause: unknown): boolean {
  return cause instanceof Error && /connection timeout|timeout expired/i.test(cause.message);
}

import { describeUrl, maskSecrets, maskUrl } from '../config/dsn';
import { DatabaseError, describeError } from '../errors';

/** A one-line, password-free description of why a database could not be reached. */
export function connectionError(options: { url: string; name: string }, cause: unknown): DatabaseError {
  const why = maskSecrets(describeError(cause), [options.url]);
  return new DatabaseError(
    'CONNECT_FAILED',
    `Cannot connect to ${options.name} (${maskUrl(options.url)}): ${why}. Check that the server runs at ${describeUrl(options.url)} and the credentials (password in PGPASSWORD or ~/.pgpass).`,
    { cause },
  );
}

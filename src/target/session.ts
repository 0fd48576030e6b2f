import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { Client } from 'pg';
import { recordQuery, timingsEnabled } from '../timings';
import { connectionError } from './connection-error';
import type { ConnectionSettings } from './connection-settings';
import { reachServer, type Server } from './server';

/**
 * One session on one database: a Kysely on a single connection, so `SET ROLE`, `search_path`
 * and the advisory lock stay on it. It never reconnects behind the caller's back: once the
 * connection is gone, every statement fails and {@link Session.lost} says why.
 */
export interface Session {
  readonly db: Kysely<any>;
  /** The URL connected to (for an `embedded:` URL, the private server's). Holds the password, if any. */
  readonly url: string;
  /** How messages name the database, e.g. `database dev`. */
  readonly name: string;
  /** The backend's process id (`pg_backend_pid()`, `pg_stat_activity.pid`). */
  readonly pid: number;
  /** Why the connection ended, once it has (terminated, server restart, network): the session is unusable. */
  readonly lost: Error | undefined;
  /** Ends the session (and gives an embedded server back). Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  readonly settings: ConnectionSettings;
  /** How to name the database in messages, e.g. `database dev`. */
  readonly name: string;
  /** The folder relative `embedded:` paths are relative to (alembic.ini's). */
  readonly baseDir: string;
  /** `application_name` the server shows in pg_stat_activity. */
  readonly applicationName?: string;
}

/**
 * Opens a session: reaches the server (starting or joining the embedded one for `embedded:`),
 * connects within `settings.connectTimeoutMs`, and returns a Kysely bound to that one connection.
 * Connecting does nothing else: provisioning, locking and reading heads are the caller's steps
 * (see {@link withTarget}).
 *
 * @example
 * ```ts
 * const session = await openSession({ settings: connectionSettings(url, process.env), name: 'database dev', baseDir: '.' });
 * try { await sql`select 1`.execute(session.db); } finally { await session.close(); }
 * ```
 * @throws DatabaseError `CONNECT_FAILED`, naming the database and the host that did not answer.
 */
export async function openSession(options: OpenSessionOptions): Promise<Session> {
  const server = await reachServer(options.settings.url, options.baseDir);
  let client: Client;
  try {
    client = await connectClient(server, options);
  } catch (error) {
    await server.release();
    throw error;
  }
  const state: { lost: Error | undefined } = { lost: undefined };
  // A connection that dies while idle emits 'error' (and one that dies mid-query emits 'end'):
  // either way the session is over; the next statement reports it instead of crashing the process.
  client.on('error', (error: Error) => (state.lost ??= error));
  client.on('end', () => (state.lost ??= new Error('the connection was closed')));
  const pool = new OneClientPool(client, state);
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool }),
    ...(timingsEnabled() ? { log: (event) => recordQuery(event.queryDurationMillis) } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    db,
    url: server.url,
    name: options.name,
    pid: backendKey(client).pid,
    get lost() {
      return state.lost;
    },
    close: () =>
      (closing ??= (async () => {
        state.lost ??= new Error('the session was closed');
        await db.destroy().catch(() => undefined);
        // Kysely ends its pool only if a statement ever ran: end the connection here either way.
        await pool.end();
        await server.release();
      })()),
  };
}

async function connectClient(server: Server, options: OpenSessionOptions): Promise<Client> {
  const { settings } = options;
  const client = new Client({
    connectionString: server.url,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 0,
    application_name: options.applicationName ?? 'retort',
  });
  // pg lets the URL's (empty) password win over a `password` option: set it after.
  if (settings.password !== undefined) (client as unknown as { password: ConnectionSettings['password'] }).password = settings.password;
  // Errors during connect reject connect(); this keeps a late socket error from crashing the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (cause) {
    // Only end() closes the socket after a failed authentication (a pool would leave it open).
    await client.end().catch(() => undefined);
    throw connectionError({ url: settings.url, name: options.name, connectTimeoutMs: settings.connectTimeoutMs }, cause);
  }
}

/** What pg learnt of the backend at connect (BackendKeyData); @types/pg does not declare it. */
function backendKey(client: Client): { pid: number; secret: number } {
  const c = client as unknown as { processID?: number; secretKey?: number };
  return { pid: c.processID ?? 0, secret: c.secretKey ?? 0 };
}

/**
 * Kysely's PostgresDialect asks a pool for a client before each statement: this pool always
 * hands out the one connection, and refuses once it is gone, rather than opening a new one
 * (which would silently drop the lock and the session's settings).
 */
class OneClientPool implements PostgresPool {
  private readonly handle: PostgresPoolClient;

  constructor(
    private readonly client: Client,
    private readonly state: { lost: Error | undefined },
  ) {
    this.handle = {
      query: ((text: string, parameters: readonly unknown[]) => client.query(text, [...parameters])) as unknown as PostgresPoolClient['query'],
      release: () => undefined,
    };
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.state.lost) throw this.state.lost;
    return this.handle;
  }

  private ending: Promise<void> | undefined;

  end(): Promise<void> {
    return (this.ending ??= this.client.end().catch(() => undefined));
  }
}

import * as net from 'node:net';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Client } from 'pg';
import { recordQuery, timingsEnabled } from '../timings';
import { connectionError } from './connection-error';
import type { ConnectionSettings } from './connection-settings';
import { onInterrupt } from './interrupt';
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
  /**
   * Asks the server to cancel the statement running on this session, if one is (the protocol's
   * cancel request, on a connection of its own: no login, no backend). Ctrl-C does this for
   * every open session.
   */
  cancel(): Promise<void>;
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
 * @throws DatabaseError `CONNECT_FAILED` naming the database, or `CONNECT_TIMEOUT` naming the host that did not answer.
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
  const cancel = () => (pool.running > 0 && !state.lost ? sendCancelRequest(client) : Promise.resolve());
  const stopWatching = onInterrupt(() => void cancel());
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
    cancel,
    close: () =>
      (closing ??= (async () => {
        stopWatching();
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
  const { Client } = loadPg();
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

/**
 * `require('pg')`, with Node 21's `navigator` global present while pg loads. pg asks "is this
 * Cloudflare Workers?" once, when it loads: it reads `navigator.userAgent` where there is one
 * (Node 21 and later), and otherwise constructs a fetch `Response`, which makes Node 20 load its
 * fetch implementation (undici), about 25 ms of every command. Should pg ever ask differently,
 * this costs those milliseconds again and nothing else; the global is gone once pg has loaded.
 */
function loadPg(): typeof import('pg') {
  if ('navigator' in globalThis) return require('pg') as typeof import('pg');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true });
  try {
    return require('pg') as typeof import('pg');
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

/**
 * PostgreSQL's CancelRequest: a new connection to the server carrying the backend's pid and secret
 * key, answered by the postmaster without a login. Resolves once sent (or failed: nothing to do
 * then but let the statement finish).
 */
function sendCancelRequest(client: Client): Promise<void> {
  const { pid, secret } = backendKey(client);
  const { host, port } = client as unknown as { host: string; port: number };
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(80877102, 4); // the CancelRequest code: 1234 << 16 | 5678
      packet.writeUInt32BE(pid >>> 0, 8);
      packet.writeUInt32BE(secret >>> 0, 12);
      socket.end(packet);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
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
  /** Statements sent and not yet answered (what a cancel request would stop). */
  running = 0;
  /** kysely 0.29 declares it (to open a connection of its own for cancelling); this pool has none to give. */
  readonly options = {};

  constructor(
    private readonly client: Client,
    private readonly state: { lost: Error | undefined },
  ) {
    const query = async (text: string, parameters: readonly unknown[]) => {
      // pg's own words for a gone connection ("not queryable") hide why it went.
      if (this.state.lost) throw this.state.lost;
      this.running++;
      try {
        return await client.query(text, [...parameters]);
      } finally {
        this.running--;
      }
    };
    this.handle = { query: query as unknown as PostgresPoolClient['query'], release: () => undefined };
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

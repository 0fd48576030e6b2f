import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { connectionError } from './connection-error';
import { recordQuery, timingsEnabled } from './timings';

/** An open connection to one database: a Kysely pinned to a single session. */
export interface Connection {
  readonly db: Kysely<any>;
  /** The URL actually connected to (for an embedded label: the private server's). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly url: string;
  /** How to name the database in messages, e.g. `label dev`. */
  readonly name: string;
  /** Folder that relative `embedded:` paths are relative to (the ini file's). */
  readonly baseDir: string;
  readonly applicationName?: string;
  /**
   * For an `embedded:` database only: make sure these schemas and the SU role exist (as
   * `migrate db init` would), so a private local database works with no set-up step.
   */
  readonly provision?: { readonly schemas: readonly string[]; readonly suRole: string | undefined };
}

/**
 * Opens one session (pool of size 1, so `SET ROLE`, `search_path` and the advisory lock stay on it)
 * and proves it works with `select 1`. For `embedded:<dir>` URLs, starts the private server first
 * and stops it on close.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  let url = options.url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (url.startsWith('embedded:')) {
    const embedded = require('../embedded/embedded-server') as typeof import('../embedded/embedded-server');
    const { dataDir } = embedded.parseEmbeddedUrl(url, options.baseDir);
    const server = await embedded.startEmbeddedServer({ dataDir });
    url = server.url;
    stopEmbedded = () => server.stop();
    if (options.provision) {
      const { initDatabase } = require('../provision/init-database') as typeof import('../provision/init-database');
      try {
        await initDatabase({
          serverUrl: url,
          database: 'postgres',
          schemas: options.provision.schemas,
          user: 'postgres',
          ...(options.provision.suRole ? { suRole: options.provision.suRole } : {}),
        });
      } catch (error) {
        await server.stop();
        throw error;
      }
    }
  }
  const pool = new Pool({ connectionString: url, max: 1, application_name: options.applicationName ?? 'retort' });
  // An idle session that dies must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool }),
    ...(timingsEnabled() ? { log: (event) => recordQuery(event.queryDurationMillis) } : {}),
  });
  const close = async () => {
    await db.destroy().catch(() => undefined);
    if (stopEmbedded) await stopEmbedded();
  };
  try {
    await sql`select 1`.execute(db);
  } catch (cause) {
    await close();
    throw connectionError(options, cause);
  }
  return { db, url, close };
}

export { connectionError };

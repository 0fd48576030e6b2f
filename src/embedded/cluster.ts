/**
 * One embedded PostgreSQL cluster on disk: create it with initdb, start the
 * postmaster, read its state from `postmaster.pid`, stop it. No locking here;
 * callers hold the folder's mutex (see embedded-lock.ts).
 *
 * Folder layout of an `embedded:<dir>` database:
 * ```
 * <dir>/pgdata/         the cluster (owned by the server's OS user)
 * <dir>/server.log      initdb and server output, appended
 * <dir>/lib/            soname symlinks into the binary package
 * <dir>/lock            mutex file while a process starts or stops the server
 * <dir>/holders/        one file per process using the running server
 * <dir>/initdb.pending  exists only while initdb runs; left behind, the half-made cluster is redone
 * ```
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { DatabaseError } from '../errors';
import type { PostgresBinaries } from './binaries';
import { isProcessAlive } from './file-lock';
import type { ServerUser } from './os-user';

/** The files of one embedded database folder. */
export interface ClusterPaths {
  readonly root: string;
  readonly pgdata: string;
  readonly log: string;
  readonly lib: string;
  readonly lock: string;
  readonly holders: string;
  readonly initPending: string;
}

export function clusterPaths(dataDir: string): ClusterPaths {
  const root = path.resolve(dataDir);
  return {
    root,
    pgdata: path.join(root, 'pgdata'),
    log: path.join(root, 'server.log'),
    lib: path.join(root, 'lib'),
    lock: path.join(root, 'lock'),
    holders: path.join(root, 'holders'),
    initPending: path.join(root, 'initdb.pending'),
  };
}

/** What is needed to run the binaries. */
export interface ServerRuntime {
  readonly paths: ClusterPaths;
  readonly binaries: PostgresBinaries;
  readonly user: ServerUser | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** State line 8 of postmaster.pid: `starting`, `stopping`, `ready`, `standby`. */
export interface PostmasterState {
  readonly pid: number;
  readonly port: number;
  readonly status: string;
}

/** The postmaster that `postmaster.pid` names, if that process is alive. */
export function readPostmaster(pgdata: string): PostmasterState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  // A crash leaves the file behind; the server itself ignores it on the next start.
  if (!isProcessAlive(pid)) return undefined;
  return { pid, port, status: (lines[7] ?? 'starting').trim() || 'starting' };
}

/** Creates the cluster unless it exists: trust auth, superuser `postgres`, UTF8, C locale. */
export async function ensureCluster(rt: ServerRuntime, log: (line: string) => void): Promise<boolean> {
  const { paths } = rt;
  if (fs.existsSync(paths.initPending)) {
    log(`embedded: an earlier initdb in ${paths.pgdata} did not finish; starting over`);
    await fsp.rm(paths.pgdata, { recursive: true, force: true });
  } else if (fs.existsSync(path.join(paths.pgdata, 'PG_VERSION'))) {
    await ensureOwner(paths.pgdata, rt.user);
    return false;
  }
  await fsp.mkdir(paths.pgdata, { recursive: true, mode: 0o700 });
  await ensureOwner(paths.pgdata, rt.user);
  await fsp.writeFile(paths.initPending, `${process.pid}\n`);
  log(`embedded: creating a PostgreSQL cluster in ${paths.pgdata}`);
  const logStart = fileSize(paths.log);
  const args = ['-D', paths.pgdata, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'];
  // initdb 13 does not know --no-instructions (its closing hint only goes to our log then).
  if (rt.binaries.major >= 14) args.push('--no-instructions');
  const { code, signal } = await runToEnd(rt, rt.binaries.initdb, args);
  if (code !== 0) {
    throw new DatabaseError(
      'EMBEDDED_INIT_FAILED',
      `initdb failed for the embedded database ${paths.root} (${signal ?? `exit ${code}`}): ${logTail(paths.log, logStart)}. Full log: ${paths.log}.`,
    );
  }
  await fsp.rm(paths.initPending, { force: true });
  return true;
}

/** The cluster must belong to the user the server runs as; a root-owned leftover is handed over. */
async function ensureOwner(dir: string, user: ServerUser | undefined): Promise<void> {
  if (!user) return;
  const stats = await fsp.stat(dir);
  if (stats.uid === user.uid) return;
  const walk = async (p: string): Promise<void> => {
    await fsp.lchown(p, user.uid, user.gid);
    if ((await fsp.lstat(p)).isDirectory()) for (const name of await fsp.readdir(p)) await walk(path.join(p, name));
  };
  await walk(dir);
}

function runToEnd(rt: ServerRuntime, file: string, args: string[]): Promise<{ code: number | null; signal: string | null }> {
  const out = fs.openSync(rt.paths.log, 'a');
  try {
    const child = spawn(file, args, { cwd: rt.paths.root, env: rt.env, stdio: ['ignore', out, out], ...ids(rt.user) });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  } finally {
    fs.closeSync(out);
  }
}

function ids(user: ServerUser | undefined): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the postmaster, detached so that it outlives this process while other
 * processes still use it (the last holder stops it) and so that a terminal's
 * Ctrl-C reaches only us, not the server behind everyone's back. Only TCP on
 * 127.0.0.1; no Unix socket, which would collide with a system server's.
 */
export async function launchServer(
  rt: ServerRuntime,
  options: { port?: number | undefined; timeoutMs: number; settings?: Readonly<Record<string, string>> },
): Promise<PostmasterState> {
  const attempts = options.port === undefined ? 4 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launchOnce(rt, port, options.timeoutMs, options.settings ?? {});
    } catch (e) {
      // Another program took the port between our probe and the server's bind.
      if (!(e instanceof PortInUse) || attempt >= attempts) throw e instanceof PortInUse ? e.error : e;
    }
  }
}

class PortInUse {
  constructor(readonly error: DatabaseError) {}
}

async function launchOnce(rt: ServerRuntime, port: number, timeoutMs: number, settings: Readonly<Record<string, string>>): Promise<PostmasterState> {
  const { paths } = rt;
  const logStart = fileSize(paths.log);
  const out = fs.openSync(paths.log, 'a');
  const args = ['-D', paths.pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  let child;
  try {
    child = spawn(rt.binaries.postgres, args, { cwd: paths.root, env: rt.env, detached: true, stdio: ['ignore', out, out], ...ids(rt.user) });
  } finally {
    fs.closeSync(out);
  }
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? `exit ${code}`));
  child.once('error', (e) => (exited = e.message));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = readPostmaster(paths.pgdata);
    if (state && state.pid === child.pid && state.status === 'ready') return state;
    if (exited !== undefined) {
      const tail = logTail(paths.log, logStart);
      const error = new DatabaseError(
        'EMBEDDED_START_FAILED',
        `The embedded PostgreSQL in ${paths.root} did not start (${exited}): ${tail}. Full log: ${paths.log}.`,
      );
      if (/could not (bind|create any TCP\/IP)/i.test(tail)) throw new PortInUse(error);
      throw error;
    }
    if (Date.now() > deadline) {
      if (child.pid) process.kill(child.pid, 'SIGQUIT');
      throw new DatabaseError(
        'EMBEDDED_START_FAILED',
        `The embedded PostgreSQL in ${paths.root} was not ready after ${Math.round(timeoutMs / 1000)} s. See ${paths.log}.`,
      );
    }
    await sleep(25);
  }
}

/** Waits while a server is `starting` or `stopping`; returns the state it settles in (undefined: gone). */
export async function settle(pgdata: string, timeoutMs: number): Promise<PostmasterState | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = readPostmaster(pgdata);
    if (!state || state.status === 'ready' || state.status === 'standby' || Date.now() > deadline) return state;
    await sleep(50);
  }
}

/**
 * Fast shutdown (SIGINT: open transactions roll back) and wait until the
 * postmaster has gone; after `timeoutMs`, immediate shutdown (SIGQUIT).
 */
export async function shutdownServer(pgdata: string, pid: number, timeoutMs: number): Promise<void> {
  signal(pid, 'SIGINT');
  let deadline = Date.now() + timeoutMs;
  let escalated = false;
  while (isProcessAlive(pid) || readPostmaster(pgdata)?.pid === pid) {
    if (Date.now() > deadline) {
      if (escalated) throw new DatabaseError('EMBEDDED_STOP_FAILED', `The embedded PostgreSQL (pid ${pid}, ${pgdata}) does not stop. Kill it by hand.`);
      signal(pid, 'SIGQUIT');
      escalated = true;
      deadline = Date.now() + 10_000;
    }
    await sleep(25);
  }
}

/** Sends a signal; a process that has gone already is fine. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last meaningful lines this run wrote to the log, for error messages. */
function logTail(file: string, from: number): string {
  try {
    const text = fs.readFileSync(file).subarray(from).toString('utf8');
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const important = lines.filter((l) => /FATAL|ERROR|PANIC|error|could not|cannot/i.test(l));
    return (important.length ? important : lines).slice(-3).join(' | ') || 'no output';
  } catch {
    return 'no log written';
  }
}

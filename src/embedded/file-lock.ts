/**
 * Cross-process coordination for one embedded data folder, with plain files so
 * it works without native modules:
 *
 * - a mutex file (`lock`, holding the owner's pid and a token), taken with
 *   O_EXCL and held only while a process starts, adopts or stops the server;
 *   a lock whose pid is dead is taken over;
 * - a holder folder (`holders/<pid>-<token>`), one file per live user of the
 *   running server; entries of dead pids are pruned. The last holder stops it.
 *
 * The operations are synchronous on purpose: they are a few small file calls,
 * and the `exit` handler, which cannot await, must use them too.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseError } from '../errors';

/** True while `pid` names a live, non-zombie process. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // A zombie still answers kill(0); in containers whose init does not reap, it never goes away.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // No /proc (macOS): trust kill(0).
  }
}

function newToken(): string {
  return randomBytes(6).toString('hex');
}

/** An acquired mutex file. Release it exactly once. */
export class FileMutex {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly content: string,
  ) {}

  /** One attempt, no waiting: the mutex, or `undefined` when a live process holds it. */
  static tryAcquire(file: string): FileMutex | undefined {
    const content = `${process.pid}\n${newToken()}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx', 0o644);
        try {
          fs.writeSync(fd, content);
        } finally {
          fs.closeSync(fd);
        }
        return new FileMutex(file, content);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (!takeOverIfStale(file)) return undefined;
    }
    return undefined;
  }

  /** Waits (polling) until the mutex is ours; throws a DatabaseError naming the holder after `timeoutMs`. */
  static async acquire(file: string, timeoutMs: number): Promise<FileMutex> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      const mutex = FileMutex.tryAcquire(file);
      if (mutex) return mutex;
      if (Date.now() > deadline) throw lockTimeout(file, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Like {@link FileMutex.acquire} but blocking, for `exit` handlers; `undefined` after `timeoutMs`. */
  static acquireSync(file: string, timeoutMs: number): FileMutex | undefined {
    const deadline = Date.now() + timeoutMs;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      const mutex = FileMutex.tryAcquire(file);
      if (mutex || Date.now() > deadline) return mutex;
      Atomics.wait(sleeper, 0, 0, 25);
    }
  }

  /** Removes the file if it is still ours (a takeover after a long pause could have replaced it). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (fs.readFileSync(this.file, 'utf8') === this.content) fs.unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }
}

function lockTimeout(file: string, timeoutMs: number): DatabaseError {
  let owner = 'another process';
  try {
    owner = `process ${fs.readFileSync(file, 'utf8').split('\n')[0]}`;
  } catch {
    // It was released just now.
  }
  return new DatabaseError(
    'EMBEDDED_LOCKED',
    `The embedded database lock ${file} is held by ${owner} for more than ${Math.round(timeoutMs / 1000)} s. Wait for it to finish, or delete the file if that process no longer exists.`,
  );
}

/**
 * Removes a lock file whose owner is dead. Rename first, so that of two
 * processes taking over the same stale lock only one deletes it; if the file we
 * moved turns out to be a fresh lock, put it back.
 */
function takeOverIfStale(file: string): boolean {
  let content: string;
  let mtimeMs: number;
  try {
    content = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return true; // Released meanwhile: try again.
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  // An empty file means its creator died between open and write; give a live one time to write.
  const stale = Number.isNaN(pid) ? Date.now() - mtimeMs > 5000 : !isProcessAlive(pid);
  if (!stale) return false;
  const aside = `${file}.stale.${process.pid}.${newToken()}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return true;
  }
  if (fs.readFileSync(aside, 'utf8') !== content) {
    try {
      fs.linkSync(aside, file); // Fails if a third process already made a new lock: theirs wins.
    } catch {
      // Ignore.
    }
  }
  fs.rmSync(aside, { force: true });
  return true;
}

/** The files in `holders/`: who is using the running server. */
export class Holders {
  constructor(readonly dir: string) {}

  /** Registers this process; returns the entry to pass to {@link Holders.remove}. */
  add(): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const entry = path.join(this.dir, `${process.pid}-${newToken()}`);
    fs.writeFileSync(entry, '');
    return entry;
  }

  remove(entry: string): void {
    fs.rmSync(entry, { force: true });
  }

  /** Live entries; entries of dead processes are deleted on the way. */
  live(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const alive: string[] = [];
    for (const name of names) {
      const entry = path.join(this.dir, name);
      if (isProcessAlive(Number.parseInt(name, 10))) alive.push(entry);
      else fs.rmSync(entry, { force: true });
    }
    return alive;
  }
}

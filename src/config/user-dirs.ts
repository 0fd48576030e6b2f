import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The per-user folder for what Retort keeps between runs but nobody edits (the embedded dev
 * database, compiled-code caches): `$XDG_CACHE_HOME/retort`, else `~/.cache/retort`
 * (`~/Library/Caches/retort` on macOS, `%LOCALAPPDATA%\retort` on Windows). Run as root, the
 * embedded server runs as the OS user `postgres`, which cannot enter root's home: the folder is
 * then `<tmpdir>/retort-0`.
 *
 * @example
 * ```ts
 * userCacheDir({ XDG_CACHE_HOME: '/home/me/.cache' }) // '/home/me/.cache/retort'
 * ```
 */
export function userCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return path.join(os.tmpdir(), 'retort-0');
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'retort');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'retort');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'retort');
  return path.join(os.homedir(), '.cache', 'retort');
}

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from '../config/user-dirs';

const MARKER = 'project.json';

/**
 * The folder where Retort keeps what it compiles for one project (its revisions, their code cache,
 * lint results): `projects/<folder name>-<digest of its path>` in the per-user cache folder, never
 * inside the project, which may be read-only or a checkout nobody wants written into. The first
 * time a project is seen, the folders of projects that no longer exist are removed.
 *
 * @example
 * ```ts
 * projectCacheDir('/srv/app') // '/home/me/.cache/retort/projects/app-3f2a9c1b7d4e'
 * ```
 */
export function projectCacheDir(projectDir: string, root: string = path.join(userCacheDir(), 'projects')): string {
  const dir = path.resolve(projectDir);
  const name = `${
    path
      .basename(dir)
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 40) || 'root'
  }-${createHash('sha1').update(dir).digest('hex').slice(0, 12)}`;
  const cache = path.join(root, name);
  if (!fs.existsSync(path.join(cache, MARKER))) {
    try {
      fs.mkdirSync(cache, { recursive: true });
      fs.writeFileSync(path.join(cache, MARKER), JSON.stringify({ dir }));
      removeGoneProjects(root, name);
    } catch {
      // Unwritable: loading the revisions will say so, naming the folder.
    }
  }
  return cache;
}

function removeGoneProjects(root: string, keep: string): void {
  for (const name of fs.readdirSync(root)) {
    if (name === keep) continue;
    let dir: unknown;
    try {
      dir = (JSON.parse(fs.readFileSync(path.join(root, name, MARKER), 'utf8')) as { dir?: unknown }).dir;
    } catch {
      continue; // being created, or not ours
    }
    if (typeof dir === 'string' && !fs.existsSync(dir)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

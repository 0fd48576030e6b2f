import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';

const PREFIX = 'embedded:';

/** True for `embedded:<folder>` URLs. */
export function isEmbeddedUrl(url: string): boolean {
  return url.trim().toLowerCase().startsWith(PREFIX);
}

/**
 * The data folder of an `embedded:` URL, resolved against `baseDir` (the folder
 * of alembic.ini). `embedded:./x`, `embedded:x`, `embedded:~/x`,
 * `embedded:/abs` and `embedded:///abs` are accepted.
 *
 * @example
 * ```ts
 * parseEmbeddedUrl('embedded:./.retort/local', '/srv/app') // { dataDir: '/srv/app/.retort/local' }
 * ```
 */
export function parseEmbeddedUrl(url: string, baseDir: string): { dataDir: string } {
  if (!isEmbeddedUrl(url)) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url} is not an embedded: URL. Write embedded:<folder>, e.g. embedded:./.retort/local.`);
  }
  let rest = url.trim().slice(PREFIX.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest.includes('?') || rest.includes('#')) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url}: embedded: URLs take a folder only, no ?options. Write embedded:<folder>.`);
  }
  if (!rest.trim()) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url} names no folder. Write embedded:<folder>, e.g. embedded:./.retort/local.`);
  }
  if (rest === '~' || rest.startsWith('~/')) rest = path.join(os.homedir(), rest.slice(1));
  return { dataDir: path.resolve(baseDir, rest) };
}


import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';
import { parseMajor } from './versions';

const PREFIX = 'embedded:';

/** True for `embedded:<folder>` URLs. */
export function isEmbeddedUrl(url: string): boolean {
  return url.trim().toLowerCase().startsWith(PREFIX);
}

/** What an `embedded:` URL asks for. */
export interface EmbeddedUrl {
  readonly dataDir: string;
  /** `?version=<major>`: the PostgreSQL major to run; absent, the cluster's own or the main package's. */
  readonly major?: number;
}

/**
 * The data folder of an `embedded:` URL, resolved against `baseDir` (the folder
 * of alembic.ini), and the major it asks for. `embedded:./x`, `embedded:x`, `embedded:~/x`,
 * `embedded:/abs` and `embedded:///abs` are accepted; the only option is `?version=<major>`.
 *
 * @example
 * ```ts
 * parseEmbeddedUrl('embedded:./.retort/local', '/srv/app') // { dataDir: '/srv/app/.retort/local' }
 * parseEmbeddedUrl('embedded:./.retort/local?version=16', '/srv/app') // { dataDir: '/srv/app/.retort/local', major: 16 }
 * ```
 */
export function parseEmbeddedUrl(url: string, baseDir: string): EmbeddedUrl {
  if (!isEmbeddedUrl(url)) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url} is not an embedded: URL. Write embedded:<folder>, e.g. embedded:./.retort/local.`);
  }
  let rest = url.trim().slice(PREFIX.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest.includes('#')) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url}: embedded: URLs take a folder and ?version=<major> only. Write embedded:<folder>.`);
  }
  let major: number | undefined;
  const query = rest.indexOf('?');
  if (query >= 0) {
    for (const pair of rest
      .slice(query + 1)
      .split('&')
      .filter(Boolean)) {
      const [key, value = ''] = pair.split('=');
      if (key !== 'version') {
        throw new ConfigError('BAD_EMBEDDED_URL', `${url}: embedded: URLs take ?version=<major> only, not ${key}. Write embedded:<folder>?version=16.`);
      }
      major = parseMajor(decodeURIComponent(value), url);
    }
    rest = rest.slice(0, query);
  }
  if (!rest.trim()) {
    throw new ConfigError('BAD_EMBEDDED_URL', `${url} names no folder. Write embedded:<folder>, e.g. embedded:./.retort/local.`);
  }
  if (rest === '~' || rest.startsWith('~/')) rest = path.join(os.homedir(), rest.slice(1));
  const dataDir = path.resolve(baseDir, rest);
  return major === undefined ? { dataDir } : { dataDir, major };
}

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import { defaultConfig, parseConfig, type RetortConfig } from './config';

/**
 * Reads alembic.ini from disk. With no explicit path, a missing `alembic.ini` in `cwd` yields
 * defaults (so `--url` works in any folder); an explicit `-c` file that is missing is an error.
 */
export function loadConfig(options: { path?: string | undefined; cwd: string }): RetortConfig {
  const explicit = options.path !== undefined;
  const iniPath = path.resolve(options.cwd, options.path ?? 'alembic.ini');
  let text: string;
  try {
    text = readFileSync(iniPath, 'utf8');
  } catch (cause) {
    if (!explicit && (cause as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig(iniPath);
    throw new ConfigError('NO_CONFIG', `Cannot read ${iniPath}: ${(cause as Error).message}. Pass -c <file> or run "migrate init".`, { cause });
  }
  return parseConfig(text, iniPath);
}

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import { defaultConfig, parseConfig, type Env, type RetortConfig } from './config';

/**
 * Reads alembic.ini from disk. With no explicit path, a missing `alembic.ini` in `cwd` yields
 * defaults (so `--url` works in any folder); an explicit `-c` file that is missing is an error.
 * `${VAR}` references in `[alembic]` are expanded from `env` (default: the process environment).
 */
export function loadConfig(options: { path?: string | undefined; cwd: string; env?: Env }): RetortConfig {
  const explicit = options.path !== undefined;
  const iniPath = path.resolve(options.cwd, options.path ?? 'alembic.ini');
  let text: string;
  try {
    text = readFileSync(iniPath, 'utf8');
  } catch (cause) {
    if (!explicit && (cause as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig(iniPath);
    const why = (cause as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (cause as Error).message;
    throw new ConfigError('NO_CONFIG', `Cannot read ${iniPath}: ${why}. Pass -c <file> or run "migrate init".`, { cause });
  }
  return parseConfig(text, iniPath, options.env ?? process.env);
}

import { parse as parseIni } from 'ini';
import * as path from 'node:path';
import { ConfigError } from '../errors';

/** One `[label]` section of alembic.ini: a database the CLI can name with `-x db=<label>`. */
export interface DatabaseLabel {
  readonly name: string;
  /** The URL as written, `${VAR}` references not yet expanded. */
  readonly rawUrl: string;
}

/** alembic.ini, parsed. Pure data: no environment has been consulted yet. */
export interface RetortConfig {
  /** Absolute path of the ini file (or of the folder it would be in). */
  readonly path: string;
  /** Folder of the ini file: relative paths in it are relative to this. */
  readonly dir: string;
  /** Absolute folder holding the revision modules. */
  readonly scriptLocation: string;
  readonly versionTable: string;
  readonly schemaName: string | undefined;
  readonly suRoleName: string | undefined;
  /** Template for `revision --rev-id`-less ids: length in hex characters (12 like Alembic). */
  readonly labels: ReadonlyMap<string, DatabaseLabel>;
}

/** Sections that Alembic's own ini files contain and that are never database labels. */
const NON_LABEL_SECTION = /^(alembic|loggers|handlers|formatters|post_write_hooks|logger_.*|handler_.*|formatter_.*)$/;

/**
 * Parses the text of an alembic.ini. Collects every problem and reports them together.
 *
 * @example
 * ```ts
 * parseConfig('[alembic]\nscript_location = revisions\n[dev]\nsqlalchemy.url = postgresql://me@db/x\n', '/p/alembic.ini')
 * // -> { scriptLocation: '/p/revisions', labels: Map { 'dev' => { rawUrl: 'postgresql://me@db/x' } }, ... }
 * ```
 */
export function parseConfig(text: string, iniPath: string): RetortConfig {
  const absolute = path.resolve(iniPath);
  const dir = path.dirname(absolute);
  let data: Record<string, unknown>;
  try {
    data = parseIni(text) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError('MALFORMED_INI', `${absolute} is not a valid ini file: ${String(cause)}. Fix its syntax.`, { cause });
  }
  const problems: string[] = [];
  const alembic = section(data, 'alembic');
  const str = (obj: Record<string, unknown>, key: string): string | undefined => {
    const v = obj[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      problems.push(`[alembic] ${key} must be a single value`);
      return undefined;
    }
    return v.trim();
  };
  const here = (v: string) => v.replace(/%\(here\)s/g, dir);
  const scriptLocation = path.resolve(dir, here(str(alembic, 'script_location') ?? 'revisions'));
  const versionTable = str(alembic, 'version_table') ?? 'alembic_version';
  if (!IDENTIFIER.test(versionTable)) problems.push(`version_table "${versionTable}" is not a valid identifier`);
  const schemaName = str(alembic, 'schema_name');
  const suRoleName = str(alembic, 'su_role_name');

  const labels = new Map<string, DatabaseLabel>();
  for (const [name, value] of Object.entries(data)) {
    if (NON_LABEL_SECTION.test(name)) continue;
    if (typeof value !== 'object' || value === null) {
      // A key outside any section: ini puts it at the top level. Alembic ignores those too.
      continue;
    }
    const sec = value as Record<string, unknown>;
    const url = sec['sqlalchemy.url'] ?? sec['url'];
    if (url === undefined) {
      // Sections with dots are nested by `ini`; sqlalchemy.url stays a key, so a missing url is a real gap.
      problems.push(`section [${name}] has no sqlalchemy.url (or url)`);
      continue;
    }
    if (typeof url !== 'string' || url.trim() === '') {
      problems.push(`section [${name}] has an empty url`);
      continue;
    }
    labels.set(name, { name, rawUrl: here(url.trim()) });
  }
  if (problems.length > 0) {
    throw new ConfigError('INVALID_CONFIG', `${absolute}: ${problems.join('; ')}. Fix the file and run again.`);
  }
  return { path: absolute, dir, scriptLocation, versionTable, schemaName, suRoleName, labels };
}

function section(data: Record<string, unknown>, name: string): Record<string, unknown> {
  const s = data[name];
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
}

/** A PostgreSQL identifier we accept for schemas and roles: letters, digits, `_`, `$`; at most 63 bytes. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Expands `${VAR}` references from `env`. A reference to an unset variable is an error that names it.
 *
 * @example
 * ```ts
 * expandEnv('postgresql://me:${PW}@h/db', { PW: 's' }, 'label dev') // 'postgresql://me:s@h/db'
 * ```
 */
export function expandEnv(value: string, env: Readonly<Record<string, string | undefined>>, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    throw new ConfigError('UNSET_VARIABLE', `${where} uses \${${name}}, which is not set. Export ${name} or edit alembic.ini.`);
  });
}

/** A config for a folder that has no alembic.ini: defaults only, no labels. */
export function defaultConfig(iniPath: string): RetortConfig {
  return parseConfig('', iniPath);
}

import * as path from 'node:path';
import { ConfigError } from '../errors';
import { interpolate, readIni, type IniSections } from './ini-text';

/** One `[label]` section of alembic.ini: a database the CLI can name with `-x db=<label>`. */
export interface DatabaseLabel {
  readonly name: string;
  /** The URL as written (`%(here)s` filled in), `${VAR}` references not yet expanded. */
  readonly rawUrl: string;
}

/** What the environment supplies to `${VAR}` references. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * alembic.ini, parsed. `[alembic]` values have their `${VAR}` references expanded from the
 * environment given to {@link parseConfig}; a value that names an unset variable (with no
 * `:-default`) throws its error only when it is used, so one unset variable does not stop
 * commands that do not need it. Label URLs are expanded when a command names the label.
 */
export interface RetortConfig {
  /** Absolute path of the ini file (or of the folder it would be in). */
  readonly path: string;
  /** Folder of the ini file: relative paths in it are relative to this. */
  readonly dir: string;
  /** Absolute folder holding the revision modules (`script_location`, default `revisions`). */
  readonly scriptLocation: string;
  readonly versionTable: string;
  readonly schemaName: string | undefined;
  readonly suRoleName: string | undefined;
  /** Absolute path of the model module (`model`), if the project has one. */
  readonly model: string | undefined;
  /** Where autogenerate, check and pull build the model and normalise definitions (`dev_url`). */
  readonly devUrl: string | undefined;
  /**
   * `[alembic] sqlalchemy.url` of a single-database Alembic project: the database when no
   * `--url`, `-x db=` or `DATABASE_URL` names one.
   */
  readonly defaultUrl: string | undefined;
  readonly labels: ReadonlyMap<string, DatabaseLabel>;
}

/** Sections that Alembic's own ini files contain and that are never database labels. */
export const NON_LABEL_SECTION = /^(alembic|loggers|handlers|formatters|post_write_hooks|logger_.*|handler_.*|formatter_.*|DEFAULT)$/;

/** A PostgreSQL identifier we accept for schemas and roles: letters, digits, `_`, `$`; at most 63 bytes. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Parses the text of an alembic.ini (Alembic's own files included: logging sections, hooks and
 * keys Retort does not use are ignored). Collects every problem and reports them together.
 *
 * @example
 * ```ts
 * parseConfig('[alembic]\nschema_name = ${PYCDS_SCHEMA_NAME:-crmp}\n[dev]\nsqlalchemy.url = postgresql://me@db/x\n', '/p/alembic.ini', {})
 * // -> { schemaName: 'crmp', scriptLocation: '/p/revisions', labels: Map { 'dev' => { rawUrl: 'postgresql://me@db/x' } }, ... }
 * ```
 */
export function parseConfig(text: string, iniPath: string, env: Env = {}): RetortConfig {
  const absolute = path.resolve(iniPath);
  const dir = path.dirname(absolute);
  const { sections, problems: lineProblems } = readIni(text);
  const problems = lineProblems.map((p) => `line ${p.line}: ${p.message}`);
  const alembic = sections.get('alembic') ?? new Map();
  const raw = (key: string): string | undefined => {
    const v = alembic.get(key)?.value;
    return v === undefined || v === '' ? undefined : interpolate(v, dir);
  };
  const setting = lazySettings(absolute, env);

  setting('scriptLocation', raw('script_location') ?? 'revisions', 'script_location', (v) => path.resolve(dir, v));
  setting('versionTable', raw('version_table') ?? 'alembic_version', 'version_table', (v) => {
    if (!IDENTIFIER.test(v))
      throw new ConfigError('INVALID_CONFIG', `${absolute}: version_table "${v}" is not a valid identifier. Fix the file and run again.`);
    return v;
  });
  setting('schemaName', raw('schema_name'), 'schema_name');
  setting('suRoleName', raw('su_role_name'), 'su_role_name');
  setting('model', raw('model'), 'model', (v) => path.resolve(dir, v));
  setting('devUrl', raw('dev_url'), 'dev_url');
  setting('defaultUrl', raw('sqlalchemy.url') ?? raw('url'), 'sqlalchemy.url');
  const version = raw('version_table');
  if (version !== undefined && !version.includes('${') && !IDENTIFIER.test(version)) problems.push(`version_table "${version}" is not a valid identifier`);

  const labels = readLabels(sections, dir, problems);
  if (problems.length > 0) {
    throw new ConfigError('INVALID_CONFIG', `${absolute}: ${problems.join('; ')}. Fix the file and run again.`);
  }
  return Object.freeze(Object.assign(setting.target, { path: absolute, dir, labels })) as unknown as RetortConfig;
}

function readLabels(sections: IniSections, dir: string, problems: string[]): Map<string, DatabaseLabel> {
  const labels = new Map<string, DatabaseLabel>();
  for (const [name, keys] of sections) {
    if (NON_LABEL_SECTION.test(name)) continue;
    const url = keys.get('sqlalchemy.url') ?? keys.get('url');
    if (url === undefined) {
      problems.push(`section [${name}] has no sqlalchemy.url (or url)`);
      continue;
    }
    if (url.value === '') {
      problems.push(`section [${name}] has an empty url`);
      continue;
    }
    labels.set(name, { name, rawUrl: interpolate(url.value, dir) });
  }
  return labels;
}

/**
 * Defines the `[alembic]` settings of a config as properties whose `${VAR}` references are
 * expanded now; one naming an unset variable throws its error when read.
 */
function lazySettings(iniPath: string, env: Env) {
  const target: Record<string, unknown> = {};
  const setting = <T>(name: keyof RetortConfig, value: string | undefined, key: string, finish: (v: string) => T = (v) => v as T): void => {
    if (value === undefined) {
      target[name] = undefined;
      return;
    }
    try {
      target[name] = finish(expandEnv(value, env, `[alembic] ${key} in ${iniPath}`));
    } catch (error) {
      Object.defineProperty(target, name, {
        enumerable: true,
        get() {
          throw error;
        },
      });
    }
  };
  return Object.assign(setting, { target });
}

/**
 * Expands `${VAR}` and `${VAR:-default}` references from `env` (an empty variable counts as
 * unset, as in the shell's `:-`). A reference to an unset variable without a default is an
 * error that names it.
 *
 * @example
 * ```ts
 * expandEnv('postgresql://me:${PW}@h/db', { PW: 's' }, 'label dev') // 'postgresql://me:s@h/db'
 * expandEnv('${PYCDS_SCHEMA_NAME:-crmp}', {}, 'schema_name') // 'crmp'
 * ```
 */
export function expandEnv(value: string, env: Env, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(
      'UNSET_VARIABLE',
      `${where} uses \${${name}}, which is not set. Export ${name}, or give it a default in alembic.ini: \${${name}:-value}.`,
    );
  });
}

/** A config for a folder that has no alembic.ini: defaults only, no labels. */
export function defaultConfig(iniPath: string): RetortConfig {
  return parseConfig('', iniPath);
}

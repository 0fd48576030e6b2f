import { ConfigError } from '../errors';
import { IDENTIFIER, expandEnv, type RetortConfig } from './config';
import { normalizeUrl } from './dsn';

/** One database × schema pair a command runs against. */
export interface Target {
  /** The alembic.ini label, or undefined when the URL came from `--url` / `DATABASE_URL`. */
  readonly label: string | undefined;
  /** Normalised URL (may be `embedded:<dir>`); contains the password if the ini had one. Never print it: use maskUrl. */
  readonly url: string;
  readonly schema: string;
  readonly suRole: string | undefined;
}

/** What the command line and environment said about targets. */
export interface TargetInput {
  readonly config: RetortConfig;
  /** Raw `-x key=value` arguments, in order. */
  readonly x: readonly string[];
  /** `--url`, if given. */
  readonly url?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Keys `-x` accepts. */
export const X_KEYS = ['db', 'schema', 'su_role'] as const;
type XKey = (typeof X_KEYS)[number];

/**
 * Parses `-x key=value` arguments. Unknown keys and malformed pairs are errors.
 *
 * @example
 * ```ts
 * parseXArgs(['db=dev', 'schema=crmp']) // { db: 'dev', schema: 'crmp' }
 * ```
 */
export function parseXArgs(x: readonly string[]): Partial<Record<XKey, string>> {
  const out: Partial<Record<XKey, string>> = {};
  for (const arg of x) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ConfigError('BAD_X_ARG', `-x ${arg} is not key=value. Use e.g. -x db=dev.`);
    const key = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    if (!(X_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError('UNKNOWN_X_KEY', `-x ${key}=... is not a known key. Known keys: ${X_KEYS.join(', ')}.`);
    }
    const earlier = out[key as XKey];
    if (earlier !== undefined) {
      // Last-wins would quietly drop a target: several databases or schemas go in one value.
      throw new ConfigError(
        'DUPLICATE_X_KEY',
        `-x ${key}= is given twice (${earlier}, then ${value}). Give it once${key === 'su_role' ? '' : `; name several with commas, e.g. -x ${key}=${earlier},${value}`}.`,
      );
    }
    out[key as XKey] = value;
  }
  return out;
}

/** PostgreSQL's own default schema: the schema when nothing names one. */
export const DEFAULT_SCHEMA = 'public';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Splits a comma-separated list, dropping blanks. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Validates a schema or role name: it is always quoted when used, but a name that is not a plain
 * identifier is almost always a mistake (or an attack), so it is refused before any SQL runs.
 */
export function validateIdentifier(name: string, what: 'schema' | 'role'): string {
  if (what === 'schema' && (/^pg_/i.test(name) || name.toLowerCase() === 'information_schema')) {
    throw new ConfigError(
      'SYSTEM_SCHEMA',
      `schema "${name}" is one of PostgreSQL's own (pg_* and information_schema hold the system catalogs): Retort never migrates it. Set SCHEMA_NAME or -x schema= to a schema of your application.`,
    );
  }
  if (!IDENTIFIER.test(name)) {
    const shown = JSON.stringify(name.length > 80 ? name.slice(0, 80) + '…' : name);
    throw new ConfigError(
      what === 'schema' ? 'BAD_SCHEMA_NAME' : 'BAD_ROLE_NAME',
      `${what} name ${shown} is not a valid identifier (letters, digits, _ and $, starting with a letter or _, at most 63 characters). Choose another ${what} name.`,
    );
  }
  return name;
}

/**
 * The database URLs the input names: `--url` beats `-x db=`, which beats `DATABASE_URL`, which
 * beats `[alembic] sqlalchemy.url` (a single-database Alembic project's own setting).
 */
export function resolveDatabases(input: TargetInput): Array<{ label: string | undefined; url: string }> {
  const x = parseXArgs(input.x);
  if (input.url) return [{ label: undefined, url: normalizeUrl(input.url, '--url') }];
  if (x.db !== undefined) {
    const names = x.db === 'all' ? [...input.config.labels.keys()] : list(x.db);
    if (names.length === 0) throw noLabel(input.config, x.db === 'all' ? 'alembic.ini defines no database labels' : '-x db= is empty');
    return names.map((name) => {
      const label = input.config.labels.get(name);
      if (!label) throw noLabel(input.config, `unknown database label "${name}"`);
      const url = expandEnv(label.rawUrl, input.env, `[${name}] in ${input.config.path}`);
      return { label: name, url: normalizeUrl(url, `label ${name}`) };
    });
  }
  const fromEnv = input.env.DATABASE_URL;
  if (fromEnv) return [{ label: undefined, url: normalizeUrl(fromEnv, 'DATABASE_URL') }];
  const fromIni = input.config.defaultUrl;
  if (fromIni) return [{ label: undefined, url: normalizeUrl(fromIni, `[alembic] sqlalchemy.url in ${input.config.path}`) }];
  throw noLabel(input.config, 'no database given');
}

function noLabel(config: RetortConfig, why: string): ConfigError {
  const labels = [...config.labels.keys()];
  const known = labels.length > 0 ? `Labels in ${config.path}: ${labels.join(', ')}` : `${config.path} defines no labels`;
  return new ConfigError(
    why.startsWith('unknown') ? 'UNKNOWN_LABEL' : 'NO_DATABASE',
    `${why}. ${known}. Pass -x db=<label>, --url <postgresql://...>, or set DATABASE_URL.`,
  );
}

/**
 * Schema names: `-x schema=` beats `SCHEMA_NAME`, which beats `schema_name` in alembic.ini (which
 * may itself read a variable of the team's own, `${PYCDS_SCHEMA_NAME:-crmp}`), else `public`.
 */
export function resolveSchemas(input: TargetInput): string[] {
  const x = parseXArgs(input.x);
  const raw = x.schema ?? nonEmpty(input.env.SCHEMA_NAME) ?? input.config.schemaName ?? DEFAULT_SCHEMA;
  const names = list(raw);
  if (names.length === 0) throw new ConfigError('BAD_SCHEMA_NAME', `schema name ${JSON.stringify(raw)} is empty. Set SCHEMA_NAME or -x schema=<name>.`);
  return [...new Set(names.map((n) => validateIdentifier(n, 'schema')))];
}

/** The privileged role: `-x su_role=` beats `SU_ROLE_NAME`, which beats `su_role_name` in alembic.ini. */
export function resolveSuRole(input: TargetInput): string | undefined {
  const x = parseXArgs(input.x);
  const raw = x.su_role ?? nonEmpty(input.env.SU_ROLE_NAME) ?? input.config.suRoleName;
  return raw === undefined || raw === '' ? undefined : validateIdentifier(raw, 'role');
}

/**
 * Every target the input names: the product of databases and schemas.
 *
 * @example
 * ```ts
 * resolveTargets({ config, x: ['db=dev'], env: { SCHEMA_NAME: 'a,b' } })
 * // -> [{ label: 'dev', schema: 'a', ... }, { label: 'dev', schema: 'b', ... }]
 * ```
 */
export function resolveTargets(input: TargetInput): Target[] {
  const suRole = resolveSuRole(input);
  const schemas = resolveSchemas(input);
  const dbs = resolveDatabases(input);
  return dbs.flatMap((d) => schemas.map((schema) => ({ label: d.label, url: d.url, schema, suRole })));
}

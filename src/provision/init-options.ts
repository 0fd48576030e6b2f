/**
 * Options of `initDatabase` and their validation (pure). Every name is checked
 * before any SQL is sent, and every problem is reported at once.
 */
import { ConfigError } from '../errors';

/**
 * Extensions every database gets unless told otherwise: only PostgreSQL's own plpgsql. An
 * application's extensions come from its own configuration (`--extensions`), never from a default
 * taken from one application.
 */
export const DEFAULT_EXTENSIONS: readonly string[] = ['plpgsql'];
/** Extensions created only when the server has them: none unless asked for. */
export const DEFAULT_OPTIONAL_EXTENSIONS: readonly string[] = [];

/** Roles, schemas and databases: a plain SQL identifier, no quoting needed anywhere. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Extension names may also contain `-` (`uuid-ossp`); they are always quoted. */
export const EXTENSION_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_IDENTIFIER_BYTES = 63;

/** What `initDatabase` sets up. */
export interface InitDatabaseOptions {
  /** A superuser connection to the server, on any existing database (the maintenance database `postgres` usually). */
  readonly serverUrl: string;
  /** Database to create if missing. */
  readonly database: string;
  /** Schemas to create, owned by {@link InitDatabaseOptions.user}. */
  readonly schemas: readonly string[];
  /** Login role that owns the schemas and runs the migrations. */
  readonly user: string;
  /**
   * NOLOGIN superuser role granted to the user, for `SET ROLE` in privileged revisions (the
   * project's `su_role_name`). None: no such role is created.
   */
  readonly suRole?: string;
  /** Extensions that must exist; a missing one is an error. Default `plpgsql`. */
  readonly extensions?: readonly string[];
  /** Extensions created when the server offers them, skipped otherwise. Default none. */
  readonly optionalExtensions?: readonly string[];
  /** One line per object created, found, changed or skipped. */
  readonly log?: (line: string) => void;
}

/** The options with defaults applied; names are known to be valid. */
export interface ResolvedInitOptions {
  readonly serverUrl: string;
  readonly database: string;
  readonly schemas: readonly string[];
  readonly user: string;
  readonly suRole: string | undefined;
  readonly extensions: readonly string[];
  readonly optionalExtensions: readonly string[];
  readonly log: (line: string) => void;
}

/**
 * Applies defaults and checks every name; throws one ConfigError (`BAD_IDENTIFIER`)
 * that lists all problems.
 *
 * @example
 * ```ts
 * resolveInitOptions({ serverUrl, database: 'app', schemas: ['app'], user: 'tester' }).extensions // ['plpgsql']
 * ```
 */
export function resolveInitOptions(options: InitDatabaseOptions): ResolvedInitOptions {
  const resolved: ResolvedInitOptions = {
    serverUrl: options.serverUrl,
    database: options.database,
    schemas: [...options.schemas],
    user: options.user,
    suRole: options.suRole,
    extensions: [...(options.extensions ?? DEFAULT_EXTENSIONS)],
    optionalExtensions: [...(options.optionalExtensions ?? DEFAULT_OPTIONAL_EXTENSIONS)],
    log: options.log ?? (() => undefined),
  };
  const problems: string[] = [];
  const check = (what: string, name: unknown, pattern: RegExp) => {
    if (typeof name !== 'string' || !pattern.test(name)) {
      problems.push(`${what} ${JSON.stringify(name)} is not a plain identifier (${pattern.source})`);
    } else if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
      problems.push(`${what} "${name}" is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
    }
  };
  check('database', resolved.database, IDENTIFIER);
  check('user', resolved.user, IDENTIFIER);
  if (resolved.suRole !== undefined) check('superuser role', resolved.suRole, IDENTIFIER);
  if (resolved.schemas.length === 0) problems.push('no schema given');
  for (const schema of resolved.schemas) check('schema', schema, IDENTIFIER);
  for (const ext of resolved.extensions) check('extension', ext, EXTENSION_NAME);
  for (const ext of resolved.optionalExtensions) check('optional extension', ext, EXTENSION_NAME);
  const duplicate = resolved.schemas.find((s, i) => resolved.schemas.indexOf(s) !== i);
  if (duplicate !== undefined) problems.push(`schema "${duplicate}" is listed twice`);
  if (resolved.user === resolved.suRole) problems.push(`the user and the superuser role are both "${resolved.user}"; they must differ`);
  if (problems.length > 0) {
    throw new ConfigError(
      'BAD_IDENTIFIER',
      `Cannot initialise the database: ${problems.join('; ')}. Use letters, digits and underscores, not starting with a digit.`,
    );
  }
  return resolved;
}

/** Splits `a, b,,c` into `['a', 'b', 'c']`: for lists given on the command line or in env vars. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

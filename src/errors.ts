/**
 * Every code a {@link RetortError} can carry: a closed union, so a misspelt code fails `tsc`
 * and `error.code === '...'` is checked too. The CLI prints it under `--json` as `error.code`.
 * Add a code here when you add an error a user can cause.
 */
export type ErrorCode =
  | 'ALEMBIC_SCRIPT_FOLDER'
  | 'ALREADY_INITIALISED'
  | 'AMBIGUOUS_REVISION'
  | 'BACKUP_DIR'
  | 'BACKUP_FAILED'
  | 'BAD_CONNECT_TIMEOUT'
  | 'BAD_DISCOVER_ARGS'
  | 'BAD_DSN'
  | 'BAD_EMBEDDED_URL'
  | 'BAD_ERD_FORMAT'
  | 'BAD_IDENTIFIER'
  | 'BAD_INIT_ARGS'
  | 'BAD_MODEL'
  | 'BAD_PRIVILEGE'
  | 'BAD_REVISION'
  | 'BAD_REV_ID'
  | 'BAD_ROLE_NAME'
  | 'BAD_SCHEMA_NAME'
  | 'BAD_X_ARG'
  | 'BASELINE_NEEDS_AUTOGENERATE'
  | 'BASELINE_NOT_FIRST'
  | 'CATALOG_READ_FAILED'
  | 'CHECK_FAILED'
  | 'CONNECTION_LOST'
  | 'CONNECT_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'CREATE_ALL_FAILED'
  | 'DB_INIT_FAILED'
  | 'DEV_DATABASE_ROLE'
  | 'DEV_DATABASE_UNREACHABLE'
  | 'DEV_DATABASE_VERSION'
  | 'DIFFERENCES'
  | 'DISCOVER_EDIT_FAILED'
  | 'DISCOVER_FAILED'
  | 'DOWNGRADE_TARGET'
  | 'DRIFT'
  | 'DUPLICATE_BRANCH_LABEL'
  | 'DUPLICATE_REVISION'
  | 'DUPLICATE_REV_ID'
  | 'DUPLICATE_X_KEY'
  | 'EMBEDDED_BINARIES_MISSING'
  | 'EMBEDDED_BINARIES_NOT_EXECUTABLE'
  | 'EMBEDDED_INIT_FAILED'
  | 'EMBEDDED_LOCKED'
  | 'EMBEDDED_NO_ACCESS'
  | 'EMBEDDED_NO_OS_USER'
  | 'EMBEDDED_POSTGRES_MISSING'
  | 'EMBEDDED_START_FAILED'
  | 'EMBEDDED_STOP_FAILED'
  | 'EMBEDDED_VERSION_MISMATCH'
  | 'ERD_EMPTY_SCHEMA'
  | 'FAILED'
  | 'GRAPHVIZ_FAILED'
  | 'GRAPHVIZ_UNAVAILABLE'
  // A failure Retort did not foresee (a bug): the CLI reports it under --json with this code.
  | 'INTERNAL'
  | 'INTERRUPTED'
  | 'INVALID_CONFIG'
  | 'INVALID_MODEL'
  | 'INVALID_RANGE'
  | 'INVALID_RENAME'
  | 'INVALID_RENAME_HINT'
  | 'INVALID_REVISION'
  | 'LINT_ERRORS'
  | 'LINT_NOT_A_REVISION'
  | 'LINT_UNREADABLE'
  | 'LOCK_TIMEOUT'
  | 'LOCK_WAIT_CANCELLED'
  | 'MISSING_DEPENDENCY'
  | 'MISSING_DOWN_REVISION'
  | 'MODEL_BAD_CALL'
  | 'MODEL_BAD_SQL_TEXT'
  | 'MODEL_BUILD_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_SQL_PARAMETER'
  | 'MODEL_SYNTAX'
  | 'MULTIPLE_HEADS'
  | 'NOTHING_TO_MERGE'
  | 'NOT_AT_HEAD'
  | 'NOT_A_HEAD'
  | 'NO_CONFIG'
  | 'NO_DATABASE'
  | 'NO_MODEL'
  | 'NO_REVISION'
  | 'NO_SCHEMA'
  | 'NO_SCHEMAS'
  | 'NO_SCRIPT_DIR'
  | 'NO_SU_ROLE'
  | 'OFFLINE_RANGE'
  | 'OFFLINE_READ'
  | 'ONE_TARGET'
  | 'OUTPUT_EXISTS'
  | 'OUTSIDE_DEPENDANT'
  | 'OUTSIDE_OBJECT_MISSING'
  | 'PASSWORD_NEEDED'
  | 'PERMISSION_DENIED'
  | 'PG_DUMP_MISSING'
  | 'PG_RESTORE_MISSING'
  | 'PULL_UNSUPPORTED'
  | 'RELATIVE_STEP'
  | 'RESTORE_BAD_FILE'
  | 'RESTORE_FAILED'
  | 'RESTORE_NO_FILE'
  | 'RESTORE_ONE_DATABASE'
  | 'RESTORE_SCHEMA_MISMATCH'
  | 'RESTORE_SCHEMA_NOT_EMPTY'
  | 'REVISION_CYCLE'
  | 'REVISION_FAILED'
  | 'REVISION_LOAD_FAILED'
  | 'REVISION_SYNTAX'
  | 'SCHEMAS_NOT_SUPPORTED'
  | 'SCHEMA_DENIED'
  | 'SCHEMA_NOT_EMPTY'
  | 'STALE_CACHE'
  | 'STALE_VERSION_ROW'
  | 'SU_ROLE_DENIED'
  | 'SU_ROLE_MISSING'
  | 'SYSTEM_SCHEMA'
  | 'TARGETS_FAILED'
  | 'UNKNOWN_DATABASE_REVISION'
  | 'UNKNOWN_LABEL'
  | 'UNKNOWN_REVISION'
  | 'UNKNOWN_X_KEY'
  | 'UNREACHABLE'
  | 'UNSET_VARIABLE'
  | 'UPGRADE_TARGET'
  | 'USAGE'
  | 'VERSION_FEATURE'
  | 'VERSION_TABLE_DENIED'
  | 'VERSION_TABLE_LAYOUT'
  | 'WRITE_FAILED';

/**
 * Every error a user can cause is a {@link RetortError}: it has a stable `code`,
 * a one-line message that names the object (file, label, revision, schema) and
 * says what to do, and the original error as `cause`.
 *
 * The CLI prints `message` and exits with `exitCode`; a stack trace only with `--debug`.
 */
export class RetortError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_LABEL`. */
  readonly code: ErrorCode;
  /** Process exit code the CLI uses: 2 for usage/configuration, 1 for a failed revision. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Configuration problems: the ini file, labels, `-x` arguments, DSNs, schema names. */
export class ConfigError extends RetortError {}

/** The revision graph is malformed or a target cannot be resolved. */
export class GraphError extends RetortError {}

/** A revision file cannot be found, loaded or written. */
export class ScriptError extends RetortError {}

/** The database cannot be reached, or preflight found it unfit for the command. */
export class DatabaseError extends RetortError {}

/** A revision's upgrade or downgrade threw; everything in its transaction was rolled back. */
export class RevisionFailedError extends RetortError {
  readonly revision: string;
  constructor(revision: string, message: string, options: { cause?: unknown } = {}) {
    super('REVISION_FAILED', message, { cause: options.cause, exitCode: 1 });
    this.revision = revision;
  }
}

/** Helper for exhaustive switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Turns anything thrown into a short, single-line description. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? String(error);
  return String(error);
}

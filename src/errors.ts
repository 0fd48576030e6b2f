/**
 * Every error a user can cause is a {@link RetortError}: it has a stable `code`,
 * a one-line message that names the object (file, label, revision, schema) and
 * says what to do, and the original error as `cause`.
 *
 * The CLI prints `message` and exits with `exitCode`; a stack trace only with `--debug`.
 */
export class RetortError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_LABEL`. */
  readonly code: string;
  /** Process exit code the CLI uses: 2 for usage/configuration, 1 for a failed revision. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
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

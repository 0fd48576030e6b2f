import type { ErrorCode } from '../errors';
import { RetortError } from '../errors';

/**
 * The one shape of `--json` output, for every command and any number of targets (documented by
 * docs/json-output.schema.json):
 *
 * ```json
 * { "ok": true, "command": "upgrade", "targets": [{ "target": "dev:crmp", "status": "ok", "durationMs": 41, "result": { ... } }] }
 * { "ok": false, "command": "upgrade", "targets": [], "error": { "code": "UNKNOWN_LABEL", "message": "..." } }
 * ```
 *
 * `ok` is true exactly when the exit code is 0, and `error` is there exactly when `ok` is false.
 * Commands that work on database targets list one entry per target under `targets`; the others
 * (history, revision, lint, diff, ...) leave `targets` empty and put their data under `result`.
 * A command records what it has into the {@link JsonReport}; main prints it once, at the end.
 */

/** What went wrong, for a whole command or one target. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
}

export type TargetStatus = 'ok' | 'failed' | 'skipped';

/** One target (`label:schema`) of a command. */
export interface TargetEntry {
  readonly target: string;
  readonly status: TargetStatus;
  readonly durationMs?: number;
  /** The command's data for this target (status `ok`). */
  readonly result?: unknown;
  /** Why it failed (status `failed`). */
  readonly error?: ErrorInfo;
}

export interface Envelope {
  readonly ok: boolean;
  readonly command: string;
  readonly targets: readonly TargetEntry[];
  readonly result?: unknown;
  readonly error?: ErrorInfo;
}

/** Filled in as a command runs: its name, its targets, its data and, when it fails, why. */
export class JsonReport {
  /** The command as typed, e.g. `upgrade` or `db init`; `migrate` until one is recognised. */
  command = 'migrate';
  readonly targets: TargetEntry[] = [];
  result: unknown = undefined;
  error: ErrorInfo | undefined = undefined;

  /** Records the command's data (commands without targets). */
  setResult(result: unknown): void {
    this.result = result;
  }

  /** Records one target's outcome. */
  addTarget(entry: TargetEntry): void {
    this.targets.push(entry);
  }

  /** Records why the command ends with a non-zero exit code (the first reason wins). */
  fail(error: ErrorInfo): void {
    this.error ??= error;
  }

  /**
   * The envelope for a command that ends with `exitCode`. A non-zero exit always carries an
   * error: the recorded one, else the first failed target's.
   */
  envelope(exitCode: number): Envelope {
    const ok = exitCode === 0;
    const error = ok ? undefined : (this.error ?? this.targets.find((t) => t.error)?.error ?? { code: 'FAILED', message: `exit code ${exitCode}` });
    return {
      ok,
      command: this.command,
      targets: this.targets,
      ...(this.result === undefined ? {} : { result: this.result }),
      ...(error ? { error } : {}),
    };
  }
}

/** The code of anything thrown with `message` (masked by the caller): a RetortError's own, else INTERNAL. */
export function errorInfo(error: unknown, message: string): ErrorInfo {
  return { code: error instanceof RetortError ? error.code : 'INTERNAL', message };
}

/** The entry for a target that succeeded. */
export function okTarget(target: string, result: unknown, durationMs?: number): TargetEntry {
  return { target, status: 'ok', ...(durationMs === undefined ? {} : { durationMs }), result };
}

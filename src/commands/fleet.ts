import type { Target } from '../config/target';
import { RetortError, describeError } from '../errors';
import { interruptedBy } from '../target/interrupt';

/** How one target of a multi-target command ended. */
export interface FleetResult<T> {
  readonly target: Target;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly value?: T;
  readonly error?: unknown;
  readonly durationMs: number;
}

export interface FleetOptions<T> {
  readonly targets: readonly Target[];
  /** How many targets run at once (each on its own connection and lock). */
  readonly jobs: number;
  /** Run every target even after a failure; by default a failure stops new targets from starting. */
  readonly keepGoing: boolean;
  readonly run: (target: Target) => Promise<T>;
  readonly onStart?: (target: Target) => void;
  readonly onDone?: (result: FleetResult<T>) => void;
}

/**
 * Runs `run` over targets with at most `jobs` at a time. One target failing never changes another:
 * each is its own transaction. Without `keepGoing`, the first failure stops new targets from
 * starting (they are reported `skipped`) and lets running ones finish.
 *
 * @example
 * ```ts
 * const results = await runFleet({ targets, jobs: 4, keepGoing: false, run: (t) => migrate({ ...opts, target: t }) });
 * results.filter((r) => r.status === 'failed').length // 0 when all succeeded
 * ```
 */
export async function runFleet<T>(options: FleetOptions<T>): Promise<FleetResult<T>[]> {
  const results: Array<FleetResult<T> | undefined> = new Array(options.targets.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.targets.length) return;
      const target = options.targets[i]!;
      if (stop || interruptedBy()) {
        results[i] = { target, status: 'skipped', durationMs: 0 };
        options.onDone?.(results[i]!);
        continue;
      }
      options.onStart?.(target);
      const started = performance.now();
      try {
        const value = await options.run(target);
        results[i] = { target, status: 'ok', value, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (!options.keepGoing) stop = true;
        results[i] = { target, status: 'failed', error, durationMs: Math.round(performance.now() - started) };
      }
      options.onDone?.(results[i]!);
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs, options.targets.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results as FleetResult<T>[];
}

/**
 * The exit code of a fleet: 0 when every target succeeded; 2 when every failure was a usage or
 * configuration error (exit code 2); else 1 (a revision failed, or targets were skipped).
 */
export function fleetExitCode(results: readonly FleetResult<unknown>[]): number {
  const failed = results.filter((r) => r.status !== 'ok');
  if (failed.length === 0) return 0;
  const codes = failed.filter((r) => r.status === 'failed').map((r) => (r.error instanceof RetortError ? r.error.exitCode : 1));
  return codes.length > 0 && codes.every((c) => c === 2) && failed.every((r) => r.status === 'failed') ? 2 : 1;
}

/** One-line reason of a failed target, for the summary table. */
export function failureReason(error: unknown): string {
  return describeError(error);
}

/** Renders rows as an aligned text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * Turns a shell-style pattern (`tenant_*`, `t?`) into a SQL LIKE pattern, escaping `%` and `_`
 * so that only `*` and `?` are wildcards.
 */
export function globToLike(pattern: string): string {
  return pattern
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

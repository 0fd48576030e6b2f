import type { Target } from '../config/target';
import type { FleetResult } from '../commands/fleet';
import type { Output } from '../commands/output';
import { interruptedBy, signalExitCode } from '../target/interrupt';
import type { SessionCache } from '../target/session-cache';
import { FleetProgress, summaryTable } from './fleet-output';
import type { Invocation } from './invocation';
import { errorInfo, okTarget, type TargetEntry } from './json-envelope';
import { maskSecrets } from '../config/dsn';
import { targetOutput } from './progress';
import { terminalMode } from './progress-terminal';

export interface TargetRun {
  readonly target: Target;
  readonly output: Output;
  readonly sessions: SessionCache;
}

function isInterrupted(r: FleetResult<unknown>): boolean {
  return r.status === 'failed' && (r.error as { code?: string } | undefined)?.code === 'INTERRUPTED';
}

/**
 * Runs a command over every target the invocation names. One target: exactly like a single
 * command (its own error and exit code). Several: in parallel (`--jobs`), stopping new targets
 * after the first failure unless `--keep-going`, then a summary table and an exit code that says
 * whether all succeeded.
 */
export async function runOverTargets<T>(
  inv: Invocation,
  run: (r: TargetRun) => Promise<T>,
  summary: (value: T) => { from: string; to: string; note?: string },
): Promise<Array<FleetResult<T>>> {
  const fleet = require('../commands/fleet') as typeof import('../commands/fleet');
  const { SessionCache } = require('../target/session-cache') as typeof import('../target/session-cache');
  const { targetName } = require('../target/target-name') as typeof import('../target/target-name');
  const targets = await inv.expandedTargets();
  const sessions = new SessionCache();
  try {
    if (targets.length === 1) {
      const target = targets[0]!;
      const started = performance.now();
      const output = targetOutput(inv.io, { json: inv.json });
      let value: T;
      try {
        value = await run({ target, output, sessions });
      } catch (error) {
        output.finish(interruptedBy() ? 'interrupted' : 'failed');
        // The error itself ends the command (main prints it); --json also lists the target that failed.
        inv.io.report.addTarget(failedEntry(targetName(target), error, Math.round(performance.now() - started), inv.io.secrets));
        throw error;
      }
      output.finish('ok');
      const result: FleetResult<T> = { target, status: 'ok', value, durationMs: Math.round(performance.now() - started) };
      inv.io.report.addTarget(fleetEntry(result, targetName, inv.io.secrets));
      return [result];
    }
    const progress = await FleetProgress.create(inv.io, targetName, { json: inv.json, total: targets.length });
    const outputs = new Map<Target, Output>();
    let results: Array<FleetResult<T>>;
    try {
      results = await fleet.runFleet({
        targets,
        jobs: inv.jobs,
        keepGoing: inv.keepGoing,
        run: (target) => run({ target, output: outputs.get(target)!, sessions }),
        onStart: (target) => {
          outputs.set(target, progress.outputFor(target));
          progress.start(target);
        },
        onDone: (r) => progress.done(r, r.status === 'failed' ? fleet.failureReason(r.error) : ''),
      });
    } finally {
      progress.finish();
    }
    const skippedNote = interruptedBy() ? 'not started (interrupted)' : 'skipped (an earlier target failed)';
    const resultOf = (r: FleetResult<T>) => {
      if (r.status === 'ok') return summary(r.value as T).note ?? 'ok';
      if (r.status === 'skipped') return skippedNote;
      // After Ctrl-C the reason itself starts with `Interrupted (SIGINT)`.
      return isInterrupted(r) ? fleet.failureReason(r.error) : `FAILED: ${fleet.failureReason(r.error)}`;
    };
    const rows = results.map((r) => {
      const s = r.status === 'ok' ? summary(r.value as T) : undefined;
      return {
        target: targetName(r.target),
        from: s?.from ?? '',
        to: s?.to ?? '',
        duration: r.status === 'skipped' ? '' : `${r.durationMs} ms`,
        result: resultOf(r),
        status: r.status,
      };
    });
    if (inv.json) {
      for (const r of results) inv.io.report.addTarget(fleetEntry(r, targetName, inv.io.secrets));
    } else {
      for (const line of summaryTable(rows, terminalMode(inv.io, { json: false }))) inv.io.out(line);
      const failed = results.filter((r) => r.status === 'failed').length;
      const interrupted = results.filter(isInterrupted).length;
      const skipped = results.filter((r) => r.status === 'skipped').length;
      const counts = [
        failed - interrupted ? `${failed - interrupted} failed` : '',
        interrupted ? `${interrupted} interrupted` : '',
        skipped ? `${skipped} ${interruptedBy() ? 'not started' : 'skipped'}` : '',
      ];
      inv.io.out(
        `${results.length - failed - skipped} of ${results.length} targets succeeded${counts
          .filter(Boolean)
          .map((c) => `, ${c}`)
          .join('')}.`,
      );
    }
    const signal = interruptedBy();
    const exitCode = signal ? signalExitCode(signal) : fleet.fleetExitCode(results);
    if (exitCode !== 0) {
      const failed = results.filter((r) => r.status !== 'ok').length;
      inv.fail(
        signal ? 'INTERRUPTED' : 'TARGETS_FAILED',
        `${failed} of ${results.length} targets did not succeed${signal ? ` (interrupted by ${signal})` : ''}.`,
        exitCode,
      );
    }
    return results;
  } finally {
    await sessions.closeAll();
  }
}

/** A target's entry in the --json envelope (messages masked). */
function fleetEntry<T>(r: FleetResult<T>, name: (t: Target) => string, secrets: readonly string[]): TargetEntry {
  if (r.status === 'failed') return failedEntry(name(r.target), r.error, r.durationMs, secrets);
  if (r.status === 'skipped') return { target: name(r.target), status: 'skipped' };
  return okTarget(name(r.target), r.value, r.durationMs);
}

function failedEntry(target: string, error: unknown, durationMs: number, secrets: readonly string[]): TargetEntry {
  const { failureReason } = require('../commands/fleet') as typeof import('../commands/fleet');
  return { target, status: 'failed', durationMs, error: errorInfo(error, maskSecrets(failureReason(error), secrets)) };
}

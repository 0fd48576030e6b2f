import type { Target } from '../config/target';
import type { FleetResult } from '../commands/fleet';
import type { Output } from '../commands/output';
import { interruptedBy, signalExitCode } from '../target/interrupt';
import type { SessionCache } from '../target/session-cache';
import { colours, FleetProgress, useColour } from './fleet-output';
import type { Invocation } from './invocation';
import { errorInfo, okTarget, type TargetEntry } from './json-envelope';
import { maskSecrets } from '../config/dsn';

export interface TargetRun {
  readonly target: Target;
  readonly output: Output;
  readonly sessions: SessionCache;
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
      let value: T;
      try {
        value = await run({ target, output: inv.output(), sessions });
      } catch (error) {
        // The error itself ends the command (main prints it); --json also lists the target that failed.
        inv.io.report.addTarget(failedEntry(targetName(target), error, Math.round(performance.now() - started), inv.io.secrets));
        throw error;
      }
      const result: FleetResult<T> = { target, status: 'ok', value, durationMs: Math.round(performance.now() - started) };
      inv.io.report.addTarget(fleetEntry(result, targetName, inv.io.secrets));
      return [result];
    }
    const progress = new FleetProgress(inv.io, targetName, { json: inv.json });
    const outputs = new Map<Target, Output>();
    let results: Array<FleetResult<T>>;
    try {
      results = await fleet.runFleet({
        targets,
        jobs: inv.jobs,
        keepGoing: inv.keepGoing,
        run: (target) => run({ target, output: outputs.get(target)!, sessions }),
        onStart: (target) => {
          outputs.set(target, progress.outputFor(target, inv.json));
          progress.start(target);
        },
        onDone: (r) => progress.done(r),
      });
    } finally {
      progress.finish();
    }
    const colour = useColour(inv.io) && !inv.json;
    const rows = results.map((r) => {
      const s = r.status === 'ok' ? summary(r.value as T) : undefined;
      const result =
        r.status === 'ok' ? (s?.note ?? 'ok') : r.status === 'skipped' ? 'skipped (an earlier target failed)' : `FAILED: ${fleet.failureReason(r.error)}`;
      const paint = r.status === 'ok' ? colours.green : r.status === 'skipped' ? colours.yellow : colours.red;
      return [targetName(r.target), s?.from ?? '', s?.to ?? '', r.status === 'skipped' ? '' : `${r.durationMs} ms`, colour ? paint(result) : result];
    });
    if (inv.json) {
      for (const r of results) inv.io.report.addTarget(fleetEntry(r, targetName, inv.io.secrets));
    } else {
      for (const line of fleet.formatTable(['target', 'from', 'to', 'duration', 'result'], rows)) inv.io.out(line);
      const failed = results.filter((r) => r.status === 'failed').length;
      const skipped = results.filter((r) => r.status === 'skipped').length;
      inv.io.out(`${results.length - failed - skipped} of ${results.length} targets succeeded${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}.`);
    }
    const signal = interruptedBy();
    const exitCode = signal ? signalExitCode(signal) : fleet.fleetExitCode(results);
    if (exitCode !== 0) {
      const failed = results.filter((r) => r.status !== 'ok').length;
      inv.fail(signal ? 'INTERRUPTED' : 'TARGETS_FAILED', `${failed} of ${results.length} targets did not succeed${signal ? ` (interrupted by ${signal})` : ''}.`, exitCode);
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

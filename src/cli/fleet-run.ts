import type { Target } from '../config/target';
import type { FleetResult } from '../commands/fleet';
import type { Output } from '../commands/output';
import { interruptedBy, signalExitCode } from '../target/interrupt';
import type { SessionCache } from '../target/session-cache';
import { colours, FleetProgress, useColour } from './fleet-output';
import type { Invocation } from './invocation';

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
      const value = await run({ target, output: inv.output(), sessions });
      return [{ target, status: 'ok', value, durationMs: Math.round(performance.now() - started) }];
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
      inv.io.out(
        JSON.stringify(
          results.map((r) => ({
            target: targetName(r.target),
            status: r.status,
            durationMs: r.durationMs,
            ...(r.status === 'ok' ? { result: r.value } : {}),
            ...(r.status === 'failed' ? { error: { code: (r.error as { code?: string }).code ?? 'INTERNAL', message: fleet.failureReason(r.error) } } : {}),
          })),
          null,
          2,
        ),
      );
    } else {
      for (const line of fleet.formatTable(['target', 'from', 'to', 'duration', 'result'], rows)) inv.io.out(line);
      const failed = results.filter((r) => r.status === 'failed').length;
      const skipped = results.filter((r) => r.status === 'skipped').length;
      inv.io.out(`${results.length - failed - skipped} of ${results.length} targets succeeded${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}.`);
    }
    const signal = interruptedBy();
    inv.io.exitCode = signal ? signalExitCode(signal) : fleet.fleetExitCode(results);
    return results;
  } finally {
    await sessions.closeAll();
  }
}

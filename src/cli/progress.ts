import { formatDuration, stepEventLine, stepTitle, type Output, type StepEvent } from '../commands/output';
import type { Io } from './io';
import { aroundIo, colours, painter, terminalMode } from './progress-terminal';

/** The Output of a command on one target, and how it ends. */
export interface TargetOutput extends Output {
  /** Ends an open step line (` failed`, ` interrupted`) and gives `io` back. */
  finish(outcome: 'ok' | 'failed' | 'interrupted'): void;
}

/**
 * Output of a command on one target. With `--json`: warnings only (stderr). In a pipe or a log:
 * one plain line per event (`Running upgrade a -> b, msg ...`, then `Upgraded a -> b in 38 ms`).
 * On a terminal a step's line is written when the step starts and completed when it ends:
 * `Running upgrade a -> b, msg ... done (38 ms)`; any other line written meanwhile (a warning, a
 * revision's log) first ends the open line, and the step's end then gets a line of its own.
 */
export function targetOutput(io: Io, options: { json: boolean }): TargetOutput {
  if (options.json) return { line() {}, warn: (m) => io.err(m), finish() {} };
  const mode = terminalMode(io, options);
  if (!mode.live) return { line: (m) => io.out(m), warn: (m) => io.err(m), step: (e) => io.out(stepEventLine(e)), finish() {} };
  const paint = painter(mode.colour);
  let open: StepEvent | undefined;
  const end = (suffix: string) => {
    if (!open) return;
    open = undefined;
    process.stdout.write(`${suffix}\n`);
  };
  const restore = aroundIo(io, () => end(''));
  return {
    line: (m) => io.out(m),
    warn: (m) => io.err(m),
    step(e) {
      if (e.phase === 'start') {
        end('');
        process.stdout.write(`${stepTitle(e)} ...`);
        open = e;
      } else if (open && open.revision === e.revision && open.direction === e.direction) {
        end(` ${paint(colours.green)('done')} ${paint(colours.dim)(`(${formatDuration(e.durationMs)})`)}`);
      } else {
        io.out(stepEventLine(e));
      }
    },
    finish(outcome) {
      end(outcome === 'ok' ? '' : ` ${paint(colours.red)(outcome)}`);
      restore();
    },
  };
}

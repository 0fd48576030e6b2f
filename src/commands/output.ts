import type { StepReport, StepStart } from '../runtime/execute-plan';

/** A step of a plan starts, or has finished. */
export type StepEvent = ({ readonly phase: 'start' } & StepStart) | ({ readonly phase: 'done'; readonly index: number; readonly total: number } & StepReport);

/** How commands report progress; the CLI decides where it goes. */
export interface Output {
  /** One line of progress (a step, a warning about waiting). */
  line(text: string): void;
  warn(text: string): void;
  /** A step starts or finishes (a terminal shows these live). Without it, {@link stepEventLine} goes to `line`. */
  step?(event: StepEvent): void;
}

/** Output that goes nowhere (library callers that only want the result). */
export const quietOutput: Output = { line() {}, warn() {} };

/** Hands a step event to `output`: to its `step` when it has one, else as one line. */
export function reportStep(output: Output, event: StepEvent): void {
  if (output.step) output.step(event);
  else output.line(stepEventLine(event));
}

/**
 * The line a step event reads as in a log, one per event:
 * `Running upgrade 522eed334c85 -> 7a3b9c0d1e2f, add name column ...` before the step (Alembic's
 * wording), `Upgraded 522eed334c85 -> 7a3b9c0d1e2f in 38 ms` after it.
 */
export function stepEventLine(event: StepEvent): string {
  if (event.phase === 'start') return `${stepTitle(event)} ...`;
  return `${event.direction === 'up' ? 'Upgraded' : 'Downgraded'} ${stepArrow(event)} in ${formatDuration(event.durationMs)}`;
}

/** `Running upgrade 522eed334c85 -> 7a3b9c0d1e2f, add name column` */
export function stepTitle(step: Omit<StepStart, 'index' | 'total'>): string {
  return `Running ${step.direction === 'up' ? 'upgrade' : 'downgrade'} ${stepArrow(step)}, ${step.message || 'no message'}`;
}

/** `522eed334c85 -> 7a3b9c0d1e2f` (`<base>` for none). */
export function stepArrow(step: { readonly from: readonly string[]; readonly to: readonly string[] }): string {
  const side = (ids: readonly string[]) => (ids.length > 0 ? ids.join(', ') : '<base>');
  return `${side(step.from)} -> ${side(step.to)}`;
}

/** `38 ms`, `1.24 s`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

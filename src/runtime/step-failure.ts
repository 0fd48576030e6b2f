import { DatabaseError, RetortError, RevisionFailedError, describeError } from '../errors';
import { isPermissionDenied, permissionHint } from '../target/privileges';
import { isConnectionLost, lostReason } from '../target/connection-lost';
import { InterruptedError, interruptedBy } from '../target/interrupt';
import type { PlannedStep } from './execute-plan';

/** Where a plan stood when it stopped. */
export interface StepState {
  /** The step that was running (or about to run). */
  readonly step: PlannedStep | undefined;
  /** False when the plan stopped before the step's own code ran. */
  readonly running: boolean;
  /** Heads committed so far (what the version table holds now). */
  readonly committed: readonly string[];
  readonly schema: string;
  /** How the database is named, e.g. `database dev`. */
  readonly database: string;
  /** INVALID indexes dropped after a non-transactional step failed. */
  readonly droppedIndexes: readonly string[];
  /** The login user, for the grant a missing privilege needs. */
  readonly user?: string | undefined;
}

/**
 * The one-line error a stopped plan ends with: interrupted (Ctrl-C, SIGTERM), connection lost,
 * or the revision failed. Each says what stays: the committed heads, and for a
 * non-transactional revision what of it may stay.
 */
export function stepFailure(error: unknown, state: StepState): Error {
  const cause = (error as { cause?: unknown }).cause ?? error;
  if (cause instanceof RetortError && !(cause instanceof RevisionFailedError) && cause.code === 'OFFLINE_READ') return cause;
  const { step } = state;
  const at = `schema "${state.schema}" stays at ${state.committed.length > 0 ? state.committed.join(', ') : 'base'}`;
  const signal = interruptedBy();
  if (!step) {
    if (signal) return new InterruptedError(signal, `Interrupted (${signal}) before the first revision ran; ${at}.`, { cause: error });
    return cause instanceof Error ? cause : new Error(String(cause));
  }
  const name = `revision ${step.revision.id} (${step.revision.message || 'no message'})`;
  const when = state.running ? `during ${name}` : `before ${name}`;
  const partly = !step.revision.transactional && state.running;
  const partial = (what: string) => (partly ? ` It is not transactional: what it ran before ${what} stays${dropped(state)}.` : '');
  if (signal) {
    const undone = state.running ? 'its running statement was cancelled and what was not committed rolled back' : 'what was not committed was rolled back';
    return new InterruptedError(signal, `Interrupted (${signal}) ${when}: ${undone}; ${at}.${partial('the interruption')}`, { cause: error });
  }
  if (isConnectionLost(error)) {
    return new RetortError(
      'CONNECTION_LOST',
      `The connection to ${state.database} was lost ${when} (${lostReason(error)}): ${partly ? '' : 'nothing of it was committed; '}${at}.${partial('the loss')} Run the command again when the server is back.`,
      { cause: error, exitCode: 1 },
    );
  }
  if (isPermissionDenied(cause) && !partly) {
    // Not the revision's fault: a grant is missing. Nothing of it stays, and exit 2 says "set-up".
    return new DatabaseError(
      'PERMISSION_DENIED',
      `Revision ${step.revision.id} (${step.revision.message || 'no message'}) could not run: ${describeError(cause)}. Rolled back; ${at}. ${permissionHint(describeError(cause), state.user ?? 'the login user', state.schema)}`,
      { cause },
    );
  }
  return new RevisionFailedError(
    step.revision.id,
    `Revision ${step.revision.id} (${step.revision.message || 'no message'}) failed during ${step.direction === 'up' ? 'upgrade' : 'downgrade'}: ${describeError(cause)}. Rolled back; ${at}.${partial('the failure')} Fix ${step.revision.source} and run again.`,
    { cause },
  );
}

function dropped(state: StepState): string {
  const names = state.droppedIndexes.map((n) => `"${state.schema}"."${n}"`);
  return names.length === 0 ? '' : ` (dropped the INVALID index${names.length > 1 ? 'es' : ''} ${names.join(', ')} it left, so it can run again)`;
}

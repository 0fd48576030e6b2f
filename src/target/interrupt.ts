/**
 * Ctrl-C and SIGTERM, for the library: the CLI catches the signal and calls {@link interrupt};
 * every open session then cancels its running statement on the server, commands stop before
 * their next step, and the error they end with says what was rolled back and exits 130 (143).
 */
import { constants } from 'node:os';
import { RetortError } from '../errors';

let received: NodeJS.Signals | undefined;
const listeners = new Set<() => void>();

/** The signal that interrupted this process, once one has. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

/** Remembers `signal` and tells every listener (the open sessions) once. Later calls do nothing. */
export function interrupt(signal: NodeJS.Signals): void {
  if (received) return;
  received = signal;
  for (const listener of [...listeners]) listener();
}

/** Runs `listener` on interruption (at once if it already came); returns the function that removes it. */
export function onInterrupt(listener: () => void): () => void {
  listeners.add(listener);
  if (received) listener();
  return () => listeners.delete(listener);
}

/** The exit code a shell gives a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 2);
}

/** A command stopped by Ctrl-C / SIGTERM; the message says what was rolled back. */
export class InterruptedError extends RetortError {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals, message: string, options: { cause?: unknown } = {}) {
    super('INTERRUPTED', message, { ...options, exitCode: signalExitCode(signal) });
    this.signal = signal;
  }
}

/** Throws {@link InterruptedError} (`Interrupted (SIGINT) <what>`) once a signal came. */
export function throwIfInterrupted(what: string): void {
  if (received) throw new InterruptedError(received, `Interrupted (${received}) ${what}.`);
}

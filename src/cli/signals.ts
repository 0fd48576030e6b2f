import { interrupt, interruptedBy, signalExitCode } from '../target/interrupt';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Ctrl-C, SIGTERM and SIGHUP while a command runs: the first one interrupts it (every open
 * session cancels its running statement on the server, the command rolls back, releases its
 * lock and ends with an error that says what was rolled back, exit 128 + the signal's number);
 * a second one exits at once. Returns the function that stops watching.
 */
export function watchSignals(): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (interruptedBy()) process.exit(signalExitCode(signal));
    interrupt(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

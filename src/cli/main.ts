import { Command, CommanderError, Option } from 'commander';
import { RetortError } from '../errors';
import { maskSecrets } from '../config/dsn';
import { InterruptedError, interruptedBy, signalExitCode } from '../target/interrupt';
import { createIo, type Io } from './io';
import { registerCommands } from './commands';
import { registerDbCommands } from './db-commands';
import { watchSignals } from './signals';
import { providePackage } from '../loader/compile-module';
import { PACKAGE_NAME } from '../package-info';

// A model or revision that imports the package gets the running CLI's own copy of it.
providePackage(PACKAGE_NAME, () => require('../index'));

/**
 * The `migrate` CLI: a thin adapter. It maps arguments to library calls, prints results, and turns
 * errors into one-line messages and exit codes (0 ok, 1 a revision failed or drift found, 2 usage
 * or configuration error). `process.exit` and `console` live only in src/cli/.
 */
export async function main(argv: readonly string[], io: Io = createIo()): Promise<number> {
  const timings = io.env.RETORT_TIMINGS === '1' ? (require('../timings') as typeof import('../timings')) : undefined;
  timings?.startTimings();
  timings?.mark('main');
  const unwatch = watchSignals();
  try {
    return await run(argv, io);
  } finally {
    unwatch();
    if (timings) {
      timings.mark('done');
      io.err(timings.formatTimings(timings.takeTimings()!));
    }
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command('migrate')
    .description('Schema-parameterised PostgreSQL migrations for many databases and schemas (Alembic-compatible).')
    .option('-c, --config <file>', 'ini file (default: ./alembic.ini)')
    .option('-x <key=value>', 'db=<label>, schema=<name>, su_role=<role> (repeatable)', collect, [] as string[])
    .option('--url <dsn>', 'database URL; overrides -x db= and DATABASE_URL')
    .option('--json', 'machine-readable output')
    .option('--debug', 'print stack traces')
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for another migration on the same target').default('60').argParser(positiveNumber))
    .addOption(new Option('--jobs <n>', 'targets run in parallel (several databases or schemas)').default('4').argParser(positiveNumber))
    .option('--keep-going', 'with several targets: run them all even after one fails')
    .option('--schemas <patterns>', "every existing schema matching these patterns, e.g. 'tenant_*' (overrides SCHEMA_NAME)")
    .exitOverride()
    // Usage errors are reported by reportError, as one line (and JSON under --json) like every other error.
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')), outputError: () => undefined });
  registerCommands(program, io);
  (require('./tool-commands') as typeof import('./tool-commands')).registerToolCommands(program, io);
  registerDbCommands(program, io);
  (require('./diff-commands') as typeof import('./diff-commands')).registerDiffCommands(program, io);
  (require('./setup-command') as typeof import('./setup-command')).registerSetupCommand(program, io);
  (require('./pull-command') as typeof import('./pull-command')).registerPullCommand(program, io);
  try {
    await program.parseAsync(argv as string[]);
    return io.exitCode;
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'), argv.includes('--json'));
  }
}

function reportError(error: unknown, io: Io, debug: boolean, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; everything else commander rejects is a usage error.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    const usage = maskSecrets(`${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (run "migrate --help" for usage)`, io.secrets);
    if (json) io.out(JSON.stringify({ ok: false, error: { code: 'USAGE', message: usage } }));
    io.err(`migrate: error: ${usage}`);
    return 2;
  }
  const signal = interruptedBy();
  // Whatever a command ends with after Ctrl-C (a cancelled statement, a closed session), it was interrupted.
  const interrupted = signal !== undefined && !(error instanceof InterruptedError);
  const text = error instanceof Error ? error.message : String(error);
  const message = maskSecrets(interrupted ? `Interrupted (${signal}): ${text}` : text, io.secrets);
  const code = interrupted ? 'INTERRUPTED' : error instanceof RetortError ? error.code : 'INTERNAL';
  const exit = interrupted ? signalExitCode(signal) : error instanceof RetortError ? error.exitCode : 1;
  if (json) io.out(JSON.stringify({ ok: false, error: { code, message } }));
  io.err(`migrate: error: ${message}${error instanceof RetortError || interrupted || debug ? '' : ' (run with --debug for details)'}`);
  if (debug && error instanceof Error) io.err(maskSecrets(stackOf(error), io.secrets));
  return exit;
}

function stackOf(error: Error): string {
  let out = error.stack ?? String(error);
  let cause = (error as { cause?: unknown }).cause;
  while (cause instanceof Error) {
    out += `\ncaused by: ${cause.stack ?? cause.message}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return out;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new CommanderErrorLike(`${value} is not a positive number (--lock-timeout, --jobs)`);
  return value;
}

class CommanderErrorLike extends RetortError {
  constructor(message: string) {
    super('USAGE', `${message}.`);
  }
}

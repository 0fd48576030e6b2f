import { Command, CommanderError, Option } from 'commander';
import { RetortError } from '../errors';
import { maskSecrets } from '../config/dsn';
import { InterruptedError, interruptedBy, signalExitCode } from '../target/interrupt';
import { createIo, type Io } from './io';
import { registerCommands } from './commands';
import { registerDbCommands } from './db-commands';
import { watchSignals } from './signals';
import { providePackage } from '../loader/compile-module';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';
import { errorInfo } from './json-envelope';

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
  const program: Command = new Command('migrate')
    .description('Schema-parameterised PostgreSQL migrations for many databases and schemas (Alembic-compatible).')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'ini file (default: ./alembic.ini)')
    .addOption(
      new Option('-x <key=value>', 'db=<label>, schema=<name>, su_role=<role> (repeatable)').argParser(
        xArgument(argv, () => program.commands.map((c) => c.name())),
      ),
    )
    .option('--url <dsn>', 'database URL; overrides -x db= and DATABASE_URL')
    .option('--json', 'machine-readable output: one JSON envelope on stdout (docs/json-output.schema.json)')
    .option('--debug', 'print stack traces')
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for another migration on the same target').default('60').argParser(positiveNumber))
    .addOption(new Option('--jobs <n>', 'targets run in parallel (several databases or schemas)').default('4').argParser(positiveNumber))
    .option('--keep-going', 'with several targets: run them all even after one fails')
    .option('--schemas <patterns>', "every existing schema matching these patterns, e.g. 'tenant_*' (overrides SCHEMA_NAME; public and pg_* only when named)")
    .addHelpText('after', HELP_AFTER)
    .exitOverride()
    // Commander's own errors are reported by reportError, with the same prefix as every other error.
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')), outputError: () => {} });
  // The command's name, for --json and for the hint after a usage error (known before its options are parsed).
  program.hook('preSubcommand', (_program, sub) => {
    io.report.command = sub.name();
  });
  registerCommands(program, io);
  (require('./tool-commands') as typeof import('./tool-commands')).registerToolCommands(program, io);
  registerDbCommands(program, io);
  (require('./diff-commands') as typeof import('./diff-commands')).registerDiffCommands(program, io);
  (require('./setup-command') as typeof import('./setup-command')).registerSetupCommand(program, io);
  (require('./pull-command') as typeof import('./pull-command')).registerPullCommand(program, io);
  for (const group of program.commands) {
    group.hook('preSubcommand', (_group, sub) => {
      io.report.command = `${group.name()} ${sub.name()}`;
    });
  }
  const json = () => Boolean(program.opts().json) || argv.includes('--json');
  try {
    await program.parseAsync(argv as string[]);
    if (json() && io.report.command !== 'migrate') printEnvelope(io, io.exitCode);
    return io.exitCode;
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'), json());
  }
}

/** Examples and environment variables, after the options and commands of `migrate --help`. */
const HELP_AFTER = `
Examples:
  migrate -x db=dev upgrade head                       apply every pending revision
  SCHEMA_NAME=tenant_a migrate -x db=dev upgrade head  the same, in schema tenant_a
  migrate -x db=dev --schemas 'tenant_*' upgrade head  every schema matching tenant_*, 4 at a time
  migrate -x db=dev downgrade -1                       revert the latest revision
  migrate -x db=dev revision --autogenerate -m "add station"
                                                       write a revision from the model's differences
  migrate -x db=dev current --json                     the current revision, as JSON

Environment variables:
  SCHEMA_NAME        target schema(s), comma-separated (beats schema_name in alembic.ini; -x schema= beats it)
  SU_ROLE_NAME       role that privileged revisions run as (beats su_role_name; -x su_role= beats it)
  DATABASE_URL       database when neither -x db= nor --url names one
  PGUSER, PGPORT, PGDATABASE
                     fill in what a postgresql:// URL leaves out, as in libpq; discover's defaults (with PGHOST)
  PGPASSWORD         password when the URL has none; never printed
  PGCONNECT_TIMEOUT  seconds to wait for a server to answer when the URL has no connect_timeout (default 10)
  NO_COLOR           any value: no colour in the output
  XDG_CACHE_HOME     where the per-user cache lives (default ~/.cache/retort)

Exit codes: 0 success, 1 a revision failed or differences found, 2 usage or configuration error.`;

/** Prints the --json envelope of a command that ends with `exitCode`. */
function printEnvelope(io: Io, exitCode: number): void {
  io.out(JSON.stringify(io.report.envelope(exitCode), null, 2));
}

function reportError(error: unknown, io: Io, debug: boolean, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; `migrate` (or `migrate db`) without a command prints help to stderr and exits 2.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help' && error.exitCode === 0) return 0;
    if (error.code === 'commander.help') {
      // The help is on stderr already; under --json stdout still gets the envelope.
      if (json) {
        io.report.fail({
          code: 'USAGE',
          message: `no command given. Run "${io.report.command === 'migrate' ? 'migrate' : `migrate ${io.report.command}`} --help" for the commands.`,
        });
        printEnvelope(io, 2);
      }
      return 2;
    }
    const message = maskSecrets(usageMessage(error.message, io.report.command), io.secrets);
    if (json) {
      io.report.fail({ code: 'USAGE', message });
      printEnvelope(io, 2);
    }
    io.err(`migrate: error: ${message}`);
    return 2;
  }
  const signal = interruptedBy();
  // Whatever a command ends with after Ctrl-C (a cancelled statement, a closed session), it was interrupted.
  const interrupted = signal !== undefined && !(error instanceof InterruptedError);
  const text = error instanceof Error ? error.message : String(error);
  const message = maskSecrets(interrupted ? `Interrupted (${signal}): ${text}` : text, io.secrets);
  const exit = interrupted ? signalExitCode(signal) : error instanceof RetortError ? error.exitCode : 1;
  if (json) {
    io.report.fail(interrupted ? { code: 'INTERRUPTED', message } : errorInfo(error, message));
    printEnvelope(io, exit);
  }
  io.err(`migrate: error: ${message}${error instanceof RetortError || interrupted || debug ? '' : ' (run with --debug for details)'}`);
  if (debug && error instanceof Error) io.err(maskSecrets(stackOf(error), io.secrets));
  return exit;
}

/**
 * One line from commander's message: `error: unknown command 'upgarde'` and `(Did you mean upgrade?)` on the next line
 * becomes `unknown command 'upgarde'; did you mean "upgrade"?`; without a suggestion, where help is.
 */
export function usageMessage(commanderMessage: string, command: string): string {
  const [first = '', ...rest] = commanderMessage.replace(/^error: /, '').split('\n');
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
  if (suggestion) return `${first}; did you mean "${suggestion}"?`;
  return `${first}. Run "migrate${command === 'migrate' ? '' : ` ${command}`} --help" for usage.`;
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

/**
 * Collects the repeatable -x; one without `=` (`-x db dev`) is refused at once, before the word after it
 * is taken for a command.
 */
function xArgument(argv: readonly string[], commands: () => string[]): (value: string, previous: string[] | undefined) => string[] {
  return (value: string, previous: string[] | undefined): string[] => {
    if (value.indexOf('=') <= 0) {
      const at = argv.findIndex((a, i) => a === value && argv[i - 1] === '-x');
      const next = at < 0 ? undefined : argv[at + 1];
      const example = /^(db|schema|su_role)$/.test(value) && next && !next.startsWith('-') && !commands().includes(next) ? `-x ${value}=${next}` : '-x db=dev';
      throw new RetortError('BAD_X_ARG', `-x ${value} is not key=value: -x takes key=value, e.g. ${example}.`);
    }
    return [...(previous ?? []), value];
  };
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

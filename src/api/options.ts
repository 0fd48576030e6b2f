import type { Env, RetortConfig } from '../config/config';
import { loadConfig } from '../config/load';
import { resolveTargets, type Target } from '../config/target';
import type { Output } from '../commands/output';
import { loadProject, type Project } from '../commands/project';
import { ConfigError } from '../errors';

/** Something a library call reports while it runs (what the CLI prints as it goes). */
export interface RetortEvent {
  /** `progress`: a step ran, a lock is awaited; `warning`: something the caller should know. */
  readonly type: 'progress' | 'warning';
  readonly message: string;
}

/** Where the project is: the same settings the CLI reads from its folder, `-c` and the environment. */
export interface ProjectOptions {
  /** The project folder: `alembic.ini` is looked up here (default: `process.cwd()`). */
  readonly cwd?: string;
  /** The ini file, relative to `cwd` (default `alembic.ini`; without one, defaults apply). */
  readonly config?: string;
  /**
   * The environment `${VAR}` in alembic.ini, `DATABASE_URL`, `SCHEMA_NAME`, `SU_ROLE_NAME` and
   * `PGCONNECT_TIMEOUT` are read from (default: `process.env`).
   */
  readonly env?: Env;
  /** Progress and warnings as they happen; nothing is printed. */
  readonly onEvent?: (event: RetortEvent) => void;
}

/** One database × schema, named as on the command line (`-x db=`, `--url`, `-x schema=`, `-x su_role=`). */
export interface TargetOptions extends ProjectOptions {
  /** A database label of alembic.ini. */
  readonly db?: string;
  /** A `postgresql://` URL (or `embedded:<folder>`); beats `db`. */
  readonly url?: string;
  /** The schema (default: `SCHEMA_NAME`, else `schema_name` in alembic.ini, else `public`). */
  readonly schema?: string;
  /** The role privileged revisions run as (default: `SU_ROLE_NAME`, else `su_role_name`). */
  readonly suRole?: string;
  /** How long to wait for another command's migration lock (default 60 000 ms, as the CLI). */
  readonly lockTimeoutMs?: number;
}

/** The CLI's `--lock-timeout` default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** What every call needs: the config, the revisions, the event sink and the environment. */
export interface Opened {
  readonly config: RetortConfig;
  readonly project: Project;
  readonly output: Output;
  readonly env: Env;
}

/** Reads alembic.ini and loads the revisions, as the CLI does before every command. */
export async function openProject(options: ProjectOptions): Promise<Opened> {
  const env = options.env ?? process.env;
  const config = loadConfig({ path: options.config, cwd: options.cwd ?? process.cwd(), env });
  const project = await loadProject(config);
  const output = outputOf(options);
  for (const warning of project.warnings) output.warn(warning);
  return { config, project, output, env };
}

/** Turns `onEvent` into the {@link Output} the commands report on. */
export function outputOf(options: ProjectOptions): Output {
  const emit = options.onEvent;
  if (!emit) return { line() {}, warn() {} };
  return { line: (message) => emit({ type: 'progress', message }), warn: (message) => emit({ type: 'warning', message }) };
}

/** Every target the options name (a label list or `all` names several; so does `SCHEMA_NAME=a,b`). */
export function targetsOf(opened: Opened, options: TargetOptions): Target[] {
  const x = [
    ...(options.db !== undefined ? [`db=${options.db}`] : []),
    ...(options.schema !== undefined ? [`schema=${options.schema}`] : []),
    ...(options.suRole !== undefined ? [`su_role=${options.suRole}`] : []),
  ];
  return resolveTargets({ config: opened.config, x, url: options.url, env: opened.env });
}

/**
 * The one target a call acts on.
 *
 * @throws ConfigError `ONE_TARGET` when the options name several.
 */
export function oneTarget(opened: Opened, options: TargetOptions, what: string): Target {
  const targets = targetsOf(opened, options);
  if (targets.length !== 1) {
    throw new ConfigError('ONE_TARGET', `${what} works on one database and one schema, and ${targets.length} are named. Name one db (or url) and one schema.`);
  }
  return targets[0]!;
}

export function lockTimeoutOf(options: TargetOptions): number {
  return options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
}

import { current as currentOf, history as historyOf, type RevisionInfo } from '../commands/inspect';
import { migrate, type MigrateResult } from '../commands/migrate';
import { stamp as stampTarget } from '../commands/stamp';
import { status as statusOf, type StatusRow } from '../commands/status';
import { loadModel } from '../loader/load-model';
import { lockTimeoutOf, oneTarget, openProject, targetsOf, type ProjectOptions, type TargetOptions } from './options';

/** Options of {@link upgrade}. */
export interface UpgradeOptions extends TargetOptions {
  /** `head` (default), `heads`, an id or prefix, `+N`, `<branch>@head`; with `sql`, also `from:to`. */
  readonly revision?: string;
  /** Return the SQL script instead of running it (offline: no connection is made). */
  readonly sql?: boolean;
  /** Commit after each revision instead of once at the end. */
  readonly transactionPerRevision?: boolean;
  /** Create the schema (in the same transaction) when it does not exist. */
  readonly createSchema?: boolean;
}

/** Options of {@link downgrade}. */
export interface DowngradeOptions extends TargetOptions {
  /** An id or prefix, `-N`, `base`; with `sql`, `from:to`. */
  readonly revision: string;
  readonly sql?: boolean;
  readonly transactionPerRevision?: boolean;
}

/**
 * Upgrades one target (`migrate upgrade`): every pending step under the migration lock, in one
 * transaction by default. Returns the heads before and after and each step with its timing.
 *
 * @example
 * ```ts
 * const r = await upgrade({ cwd: '/srv/app', db: 'dev', schema: 'app' });
 * r.steps.map((s) => `${s.revision} ${s.durationMs} ms`); // ['aaaa00000001 12 ms', ...]
 * ```
 */
export async function upgrade(options: UpgradeOptions = {}): Promise<MigrateResult> {
  const opened = await openProject(options);
  return migrate({
    project: opened.project,
    target: oneTarget(opened, options, 'upgrade'),
    revision: options.revision ?? 'head',
    direction: 'up',
    sql: options.sql ?? false,
    transactionPerRevision: options.transactionPerRevision ?? false,
    createSchema: options.createSchema ?? false,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
  });
}

/**
 * Downgrades one target (`migrate downgrade <revision>`): the reverse steps down to `revision`.
 *
 * @example
 * ```ts
 * const r = await downgrade({ cwd: '/srv/app', db: 'dev', revision: 'base' });
 * r.to; // []
 * ```
 */
export async function downgrade(options: DowngradeOptions): Promise<MigrateResult> {
  const opened = await openProject(options);
  return migrate({
    project: opened.project,
    target: oneTarget(opened, options, 'downgrade'),
    revision: options.revision,
    direction: 'down',
    sql: options.sql ?? false,
    transactionPerRevision: options.transactionPerRevision ?? false,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
  });
}

/** What {@link current} found in a target's version table. */
export interface CurrentResult {
  readonly target: string;
  /** The stored heads this project's revisions define. */
  readonly heads: readonly RevisionInfo[];
  /** Stored heads no revision file defines. */
  readonly unknown: readonly string[];
  readonly versionTable: boolean;
  readonly schemaExists: boolean;
}

/** The target's current revision(s) (`migrate current`); takes no lock, changes nothing. */
export async function current(options: TargetOptions = {}): Promise<CurrentResult> {
  const opened = await openProject(options);
  return currentOf({ project: opened.project, target: oneTarget(opened, options, 'current'), lockTimeoutMs: lockTimeoutOf(options), output: opened.output });
}

/** The project's revisions, newest first (`migrate history [-r lower:upper]`); reads no database. */
export async function history(options: ProjectOptions & { readonly range?: string } = {}): Promise<RevisionInfo[]> {
  const opened = await openProject(options);
  return historyOf(opened.project, options.range);
}

/** Writes the version table without running revisions (`migrate stamp`). */
export async function stamp(
  options: TargetOptions & { readonly revisions: readonly string[]; readonly purge?: boolean },
): Promise<{ target: string; from: readonly string[]; to: readonly string[] }> {
  const opened = await openProject(options);
  return stampTarget({
    project: opened.project,
    target: oneTarget(opened, options, 'stamp'),
    revisions: options.revisions,
    purge: options.purge ?? false,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
  });
}

/** Options of {@link status}. */
export interface StatusOptions extends TargetOptions {
  /** Also compare each reachable schema with the project's model (`status --drift`). */
  readonly drift?: boolean;
  /** With `drift`: where the model is built (default `[alembic] dev_url`, else the embedded PostgreSQL). */
  readonly devUrl?: string;
  /** Targets read in parallel (default 4). */
  readonly jobs?: number;
}

/**
 * One row per target the options name (`db: 'all'` or `'a,b'`, several schemas): its current
 * revision(s), the heads and how many revisions are pending (`migrate status`). An unreachable
 * database is a row with `state: 'unreachable'`, not an error.
 *
 * @example
 * ```ts
 * const rows = await status({ cwd: '/srv/app', db: 'all' });
 * rows.filter((r) => r.pending !== 0); // the targets behind head
 * ```
 */
export async function status(options: StatusOptions = {}): Promise<StatusRow[]> {
  const opened = await openProject(options);
  const drift = options.drift ? (await loadModel(opened.config)).model : undefined;
  return statusOf({
    project: opened.project,
    targets: targetsOf(opened, options),
    jobs: options.jobs ?? 4,
    lockTimeoutMs: lockTimeoutOf(options),
    ...(drift ? { drift, devUrl: options.devUrl } : {}),
  });
}

import { sql } from 'kysely';
import type { Target } from '../config/target';
import { ConfigError, DatabaseError } from '../errors';
import type { Direction, Step } from '../graph/revision';
import { arrow, executePlan, type PlannedStep, type StepReport } from '../runtime/execute-plan';
import { SqlRecorder, recordingKysely } from '../runtime/offline';
import type { LoadedRevision } from '../scripts/load-revisions';
import { createTargetSchema, withTarget } from '../target/open-target';
import type { SessionCache } from '../target/session-cache';
import { checkSuperuser } from '../target/superuser';
import { databaseName, targetName } from '../target/target-name';
import { reportStep, type Output } from './output';
import { checkKnownHeads, checkWritable } from './preflight';
import type { Project } from './project';
import { changingTarget } from './target-options';
import type { LintGateOptions } from './upgrade-lint';

export interface MigrateOptions {
  readonly project: Project;
  readonly target: Target;
  /** `head`, a revision, `+1`, `base`, ...; with `sql`, also `from:to`. */
  readonly revision: string;
  readonly direction: Direction;
  /** Print the SQL instead of running it (offline). */
  readonly sql?: boolean;
  readonly transactionPerRevision?: boolean;
  /** Create the target schema (in the same transaction) if it does not exist. */
  readonly createSchema?: boolean;
  readonly lockTimeoutMs: number;
  readonly output: Output;
  /** Reuse sessions across targets of one command. */
  readonly sessions?: SessionCache;
  /** Lint the pending revisions of an upgrade before any DDL: lint errors stop it unless `allowErrors` (see upgrade-lint.ts). */
  readonly lint?: LintGateOptions;
  /** Called with the plan and the target's heads after preflight, before any DDL. */
  readonly onPlan?: (steps: readonly PlannedStep[], heads: readonly string[]) => Promise<void>;
}

export interface MigrateResult {
  readonly target: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly steps: readonly StepReport[];
  /** With `sql`: the script. */
  readonly script?: string;
}

/**
 * `upgrade <rev>` / `downgrade <rev>` on one target: preflight (connection, schema, known heads,
 * superuser role), then every step under one advisory lock and, by default, one transaction.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  if (options.sql) return migrateOffline(options);
  const { project, target, output } = options;
  const name = targetName(target);
  return withTarget(target, changingTarget(project, { lockTimeoutMs: options.lockTimeoutMs, output, sessions: options.sessions }), async (open) => {
    if (!open.schemaExists && !options.createSchema) {
      throw new DatabaseError(
        'NO_SCHEMA',
        `Schema "${target.schema}" does not exist in ${databaseName(target)}. Create it ("migrate db init", or pass --create-schema), or set SCHEMA_NAME to an existing schema.`,
      );
    }
    checkKnownHeads(project, open);
    const steps = plan(project, open.heads, options.revision, options.direction);
    if (steps.length === 0) {
      // Nothing to run, but --create-schema was asked for: the schema is what the user expects to find afterwards.
      if (!open.schemaExists) await createTargetSchema(open.db, target.schema);
      return { target: name, from: open.heads, to: open.heads, steps: [] };
    }
    checkWritable(open);
    await checkSuperuser(
      open.db,
      target.suRole,
      steps.filter((s) => s.revision.needsSuperuser).map((s) => s.revision.id),
      databaseName(target),
    );
    await lintPending(options, steps, open.heads);
    if (options.onPlan) await options.onPlan(steps, open.heads);
    if (!open.schemaExists) await createTargetSchema(open.db, target.schema);
    const result = await runSteps(options, open.db, open.names, open.heads, steps, open.user).catch(async (error) => {
      // The schema was created outside the failed transaction only if it did not exist; leave the database as it was.
      if (!open.schemaExists) await sql`drop schema if exists ${sql.id(target.schema)} cascade`.execute(open.db).catch(() => undefined);
      throw error;
    });
    return { target: name, from: open.heads, to: result.heads, steps: result.steps };
  });
}

/** A planned step with what scripts/ knows of its revision (whether it needs the SU role). */
interface ProjectStep extends PlannedStep {
  readonly revision: LoadedRevision;
}

function plan(project: Project, heads: readonly string[], revision: string, direction: Direction): ProjectStep[] {
  if (direction === 'up') project.graph.checkUpgradeTarget(heads, revision);
  const steps: readonly Step[] = direction === 'up' ? project.graph.planUpgrade(heads, revision) : project.graph.planDowngrade(heads, revision);
  return steps.map((s) => ({ direction: s.direction, revision: project.revision(s.revision.id) }));
}

/** The lint gate of an upgrade (online or offline): after the plan, before any DDL. */
async function lintPending(options: MigrateOptions, steps: readonly ProjectStep[], heads: readonly string[]): Promise<void> {
  if (!options.lint || options.direction !== 'up') return;
  const { lintGate } = require('./upgrade-lint') as typeof import('./upgrade-lint');
  await lintGate(
    options.project,
    steps.map((s) => s.revision.id),
    heads,
    options.lint,
  );
}

function runSteps(
  options: MigrateOptions,
  db: Parameters<typeof executePlan>[0]['db'],
  names: { schema: string; table: string },
  heads: readonly string[],
  steps: PlannedStep[],
  user: string,
) {
  const { project, output } = options;
  return executePlan({
    db,
    names,
    suRole: options.target.suRole,
    steps,
    heads,
    nextHeads: (h, s) => project.graph.nextHeads(h, s),
    module: (id, use) => project.scripts.module(id, use),
    transaction: options.transactionPerRevision ? 'revision' : 'command',
    onStepStart: (s) => reportStep(output, { phase: 'start', ...s }),
    onStep: (r, at) => reportStep(output, { phase: 'done', ...r, ...at }),
    log: { info: (m) => output.line(m), warn: (m) => output.warn(m) },
    database: databaseName(options.target),
    user,
  });
}

/**
 * Offline mode: the plan is rendered as one SQL script (transaction statements and version-table
 * updates included) for a DBA to review and apply with `psql -f`. No connection is made, so the
 * starting point is given as `from:to` (default: base for upgrade; required for downgrade).
 */
async function migrateOffline(options: MigrateOptions): Promise<MigrateResult> {
  const { project, target } = options;
  const [fromArg, toArg] = splitRange(options.revision, options.direction);
  const heads = fromArg === undefined || fromArg === 'base' ? [] : project.graph.resolve(fromArg);
  const steps = plan(project, heads, toArg, options.direction);
  await lintPending(options, steps, heads);
  const recorder = new SqlRecorder();
  const db = recordingKysely(recorder);
  const names = { schema: target.schema, table: project.config.versionTable };
  if (options.createSchema) await createTargetSchema(db, target.schema);
  for (const s of steps) if (s.revision.needsSuperuser && !target.suRole) await checkSuperuser(db, undefined, [s.revision.id], 'the database');
  const result = await executePlan({
    db,
    names,
    suRole: target.suRole,
    steps,
    heads,
    nextHeads: (h, s) => project.graph.nextHeads(h, s),
    module: (id, use) => project.scripts.module(id, use),
    transaction: options.transactionPerRevision ? 'revision' : 'command',
    offline: recorder,
  });
  await db.destroy();
  return { target: targetName(target), from: heads, to: result.heads, steps: result.steps, script: recorder.toString() };
}

function splitRange(arg: string, direction: Direction): [string | undefined, string] {
  const i = arg.indexOf(':');
  if (i === -1) {
    if (direction === 'down') {
      throw new ConfigError('OFFLINE_RANGE', `downgrade --sql needs a starting point: write <from>:<to>, e.g. "downgrade --sql head:${arg}".`);
    }
    return [undefined, arg];
  }
  return [arg.slice(0, i) || undefined, arg.slice(i + 1)];
}

export { arrow };

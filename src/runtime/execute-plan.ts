import { sql, type Kysely } from 'kysely';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Direction, Revision, Step } from '../graph/revision';
import type { MigrationContext, RevisionLogger, RevisionModule } from '../revision-module';
import { dropInvalidIndexes } from './invalid-indexes';
import { buildMigrationContext } from './migration-context';
import type { SqlRecorder } from './offline';
import { stepFailure } from './step-failure';
import { interruptedBy, throwIfInterrupted } from '../target/interrupt';
import { setSearchPath } from '../target/search-path';
import { mark, markLast } from '../timings';
import { prepareSchemaGuard } from './schema-guard';
import { ensureVersionTables, writeHeads, writeHeadsOffline, type HistoryRow, type VersionTableNames } from './version-table';

/** What the runtime needs to know of a revision besides its code (scripts/ loads these). */
export interface RunnableRevision extends Revision {
  /** Absolute path of its file, for messages. */
  readonly source: string;
  /** False for steps like `CREATE INDEX CONCURRENTLY`: they run between two transactions. */
  readonly transactional: boolean;
}

export interface PlannedStep extends Step {
  readonly revision: RunnableRevision;
}

/** A step about to run, for the `Running upgrade a -> b, msg ...` line and a terminal's live display. */
export interface StepStart {
  readonly direction: Direction;
  readonly revision: string;
  readonly message: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Its place in the plan: 1 to `total`. */
  readonly index: number;
  readonly total: number;
}

/** What happened in one step, for the `Upgraded a -> b in 38 ms` line and `--json`. */
export interface StepReport {
  readonly direction: Direction;
  readonly revision: string;
  readonly message: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly durationMs: number;
}

export interface ExecuteOptions {
  readonly db: Kysely<any>;
  readonly names: VersionTableNames;
  readonly suRole: string | undefined;
  readonly steps: readonly PlannedStep[];
  /** Heads before the first step. */
  readonly heads: readonly string[];
  /** Version-table bookkeeping from the graph (pure). */
  readonly nextHeads: (heads: readonly string[], step: Step) => string[];
  readonly module: (id: string, use: Direction) => RevisionModule;
  /** `command`: all steps in one transaction (default); `revision`: commit after each. */
  readonly transaction: 'command' | 'revision';
  /** When set, statements are recorded for `--sql` instead of sent. */
  readonly offline?: SqlRecorder;
  /** A step is about to run its code (after its transaction has begun). */
  readonly onStepStart?: (step: StepStart) => void;
  /** A step has run and its version row is written (committed too, unless the plan runs in one transaction). */
  readonly onStep?: (report: StepReport, position: { readonly index: number; readonly total: number }) => void;
  readonly log?: RevisionLogger;
  /** How messages name the database, e.g. `database dev`. */
  readonly database?: string;
  /** The login user, for a failure's hint when a privilege is missing. */
  readonly user?: string;
}

/**
 * Runs an ordered list of steps through umzug. Our storage writes the version table in the same
 * transaction as the step's DDL, so a step and its bookkeeping commit or roll back together.
 * A non-transactional revision (`transactional = false`) runs between two transactions and its
 * version row is written right after it.
 *
 * Why umzug gets a finished plan rather than planning itself: umzug plans over a linear list of
 * names and one "executed" set, while Alembic's version table holds heads of a graph (branches,
 * merges, `down_revision` tuples), where "applied" is every ancestor of a head. graph/ plans in
 * Alembic's terms; umzug runs the steps in order, one `up` each (a downgrade step too, since the
 * plan already says which function runs), so `executed()` is empty and `logMigration` moves the
 * heads. Its events are not used for output: step start and end come from the callbacks below,
 * which know the step's position in the plan.
 */
export async function executePlan(options: ExecuteOptions): Promise<{ heads: string[]; steps: StepReport[] }> {
  // Pin one connection for the whole plan: Kysely then skips the pool's acquire/release around
  // every statement, which is most of its per-statement overhead.
  return options.db.connection().execute((db) => executeOnConnection({ ...options, db }));
}

async function executeOnConnection(options: ExecuteOptions): Promise<{ heads: string[]; steps: StepReport[] }> {
  const { db, names, offline } = options;
  let heads = [...options.heads];
  let committedHeads = [...options.heads];
  let inTransaction = false;
  const reports: StepReport[] = [];
  const exec = (text: string) => sql.raw(text).execute(db);
  // Superusers get the run-time guard against DDL outside the target schema (schema-guard.ts).
  const guard = offline ? undefined : await prepareSchemaGuard(db, names.schema);
  let guarded = false;
  const begin = async () => {
    await exec('BEGIN');
    inTransaction = true;
    if (guard) {
      await guard.install();
      guarded = true;
    }
  };
  // Per step: timing, whether asSuperuser ran, filled by `up`, used by storage.logMigration.
  let current: { step: PlannedStep; index: number; started: number; usedSuperuser: boolean; running: boolean } | undefined;

  // In one-transaction mode the version table is written once, just before COMMIT: inside the
  // transaction nobody else can see intermediate heads, and it saves a round trip per step.
  let flushedHeads = [...options.heads];
  let pendingHistory: HistoryRow[] = [];
  const flush = async () => {
    if (pendingHistory.length === 0) return;
    const change = { before: flushedHeads, after: heads, history: pendingHistory, searchPathSchema: names.schema };
    if (offline) await writeHeadsOffline(db, names, change);
    else await writeHeads(db, names, change);
    flushedHeads = [...heads];
    pendingHistory = [];
    // Outside a transaction (after a non-transactional step) the write is committed at once.
    if (!inTransaction && !offline) committedHeads = [...heads];
  };
  const commit = async () => {
    if (!inTransaction) return;
    await flush();
    if (guarded) await guard!.remove();
    guarded = false;
    await exec('COMMIT');
    inTransaction = false;
    committedHeads = [...heads];
  };

  /** What an interrupted CREATE INDEX CONCURRENTLY left (a crash, a kill -9) would make this step fail. */
  const dropLeftIndexes = async () => {
    for (const name of await dropInvalidIndexes(db, names.schema)) {
      options.log?.warn(
        `Dropped INVALID index "${names.schema}"."${name}" (left by an interrupted CREATE INDEX CONCURRENTLY) before revision ${current!.step.revision.id}, which is not transactional.`,
      );
    }
  };

  const storage: UmzugStorage = {
    async executed() {
      return [];
    },
    async logMigration() {
      markLast('lastStep');
      const { step, started, usedSuperuser } = current!;
      heads = options.nextHeads(heads, step);
      const durationMs = Math.round(performance.now() - started);
      pendingHistory.push({
        revision: step.revision.id,
        direction: step.direction === 'up' ? 'upgrade' : 'downgrade',
        roleUsed: usedSuperuser ? options.suRole : undefined,
        durationMs,
      });
      // Offline output keeps Alembic's per-step UPDATE so a reviewer sees each step's effect.
      if (offline || options.transaction === 'revision' || !step.revision.transactional) await flush();
      if (options.transaction === 'revision' || !step.revision.transactional) await commit();
      const report: StepReport = { ...describeStep(step), durationMs };
      reports.push(report);
      options.onStep?.(report, { index: current!.index, total: options.steps.length });
    },
    async unlogMigration() {
      throw new Error('unreachable: every step is run with up()');
    },
  };

  /**
   * Loads the next step's module once this step is waiting on the server: the callback runs when
   * the event loop is next idle, which is while the step's first statement is in flight, so on a
   * machine with a spare core the module's load costs the command nothing. A module that fails
   * to load fails later, when its own step asks for it.
   */
  const prefetch = (next: PlannedStep | undefined) => {
    if (!next) return;
    setImmediate(() => {
      try {
        options.module(next.revision.id, next.direction);
      } catch {
        // reported by the step itself
      }
    });
  };

  const umzug = new Umzug<object>({
    migrations: options.steps.map((step, index) => ({
      name: `${step.direction}:${step.revision.id}`,
      up: async () => {
        current = { step, index: index + 1, started: performance.now(), usedSuperuser: false, running: false };
        throwIfInterrupted(`before revision ${step.revision.id}`);
        const transactional = step.revision.transactional;
        if (!transactional && inTransaction) {
          if (offline) offline.comment(`revision ${step.revision.id} is not transactional: it runs outside a transaction`);
          await commit();
        }
        if (!transactional && !offline) await dropLeftIndexes();
        if (transactional && !inTransaction) await begin();
        mark('firstStep');
        current = { step, index: index + 1, started: performance.now(), usedSuperuser: false, running: true };
        options.onStepStart?.({ ...describeStep(step), index: index + 1, total: options.steps.length });
        const mod = options.module(step.revision.id, step.direction);
        if (!offline) prefetch(options.steps[index + 1]);
        const ctx = buildMigrationContext({
          db,
          schema: names.schema,
          suRole: options.suRole,
          revision: step.revision.id,
          direction: step.direction,
          offline: offline !== undefined,
          ...(options.log ? { log: options.log } : {}),
        });
        const tracked: MigrationContext = {
          ...ctx,
          asSuperuser: (fn) => {
            current!.usedSuperuser = true;
            return ctx.asSuperuser(fn);
          },
        };
        if (offline) offline.comment(`Running ${step.direction === 'up' ? 'upgrade' : 'downgrade'} ${arrow(step)}, ${step.revision.message}`);
        await (step.direction === 'up' ? mod.upgrade(tracked) : mod.downgrade(tracked));
      },
    })),
    context: {},
    storage,
    logger: undefined,
  });

  try {
    await setSearchPath(names.schema).execute(db);
    if (options.transaction === 'command' && options.steps.length > 0) await begin();
    if (options.steps.length > 0) {
      if (!inTransaction) await begin();
      await ensureVersionTables(db, names, { offline: offline !== undefined });
      if (options.transaction === 'revision') await commit();
    }
    await umzug.up();
    await commit();
    mark('committed');
  } catch (error) {
    if (inTransaction && !offline) await exec('ROLLBACK').catch(() => undefined);
    inTransaction = false;
    guarded = false;
    let droppedIndexes: string[] = [];
    // A failed CREATE INDEX CONCURRENTLY leaves an INVALID index that would stop the revision from
    // running again. After Ctrl-C, leave that to the next run (DROP INDEX CONCURRENTLY may wait).
    if (current?.running && !current.step.revision.transactional && !offline && !interruptedBy()) {
      droppedIndexes = await dropInvalidIndexes(db, names.schema).catch(() => []);
    }
    throw stepFailure(error, {
      step: current?.step,
      running: current?.running ?? false,
      committed: committedHeads,
      schema: names.schema,
      database: options.database ?? 'the database',
      user: options.user,
      droppedIndexes,
    });
  }
  return { heads, steps: reports };
}

function describeStep(step: PlannedStep): Omit<StepReport, 'durationMs'> {
  const r = step.revision;
  return {
    direction: step.direction,
    revision: r.id,
    message: r.message,
    from: step.direction === 'up' ? r.downRevisions : [r.id],
    to: step.direction === 'up' ? [r.id] : r.downRevisions,
  };
}

/** `a -> b` as Alembic prints it (`<base>` for none). */
export function arrow(step: Step): string {
  const r = step.revision;
  const down = r.downRevisions.length > 0 ? r.downRevisions.join(', ') : '<base>';
  return step.direction === 'up' ? `${down} -> ${r.id}` : `${r.id} -> ${down}`;
}

/**
 * The contract between a revision file and Retort: what the file exports ({@link RevisionModule})
 * and what its `upgrade`/`downgrade` receive ({@link MigrationContext}). Types only; scripts/
 * loads such files and runtime/ calls them.
 */
import type { Kysely, sql as sqlTag } from 'kysely';
import type { Direction } from './graph/revision';

/** Where a revision's log lines go. */
export interface RevisionLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * What `upgrade(ctx)` and `downgrade(ctx)` receive.
 *
 * @example
 * ```ts
 * export async function upgrade(ctx: MigrationContext) {
 *   await ctx.db.schema.withSchema(ctx.schema).createTable('station')
 *     .addColumn('id', 'serial', (c) => c.primaryKey()).execute();
 *   await ctx.sql`create view ${ctx.sql.id(ctx.schema, 'v')} as select 1`.execute(ctx.db);
 * }
 * ```
 */
export interface MigrationContext {
  /** Kysely on the revision's own connection (inside the command's transaction, unless non-transactional). */
  readonly db: Kysely<any>;
  /** The target schema, e.g. `crmp`. Always use it; never write a schema name literally. */
  readonly schema: string;
  /** The privileged role used by {@link MigrationContext.asSuperuser}. */
  readonly suRole: string | undefined;
  /** Kysely's `sql` tag, with `sql.id(schema, name)` for qualified identifiers. */
  readonly sql: typeof sqlTag;
  /** Id of the revision being run. */
  readonly revision: string;
  /** `up` while upgrading, `down` while downgrading. */
  readonly direction: Direction;
  /** True when SQL is only being printed (`--sql`): reading from the database is impossible. */
  readonly offline: boolean;
  /** Runs `fn` under `SET ROLE <suRole>` and always resets the role, even when `fn` throws. */
  asSuperuser<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T>;
  readonly log: RevisionLogger;
}

/** The exports of a revision module in `revisions/`. */
export interface RevisionModule {
  readonly revision: string;
  readonly downRevision: string | readonly string[] | null;
  readonly message?: string;
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  /** Default true. False for steps like `CREATE INDEX CONCURRENTLY`. */
  readonly transactional?: boolean;
  upgrade(ctx: MigrationContext): Promise<void> | void;
  downgrade(ctx: MigrationContext): Promise<void> | void;
}

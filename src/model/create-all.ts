import { sql, type Kysely } from 'kysely';
import { assertServerSupports } from '../diff/version-requirements';
import { DatabaseError, RetortError } from '../errors';
import type { Operation } from '../operations/operation';
import type { RevisionLogger } from '../runtime/context';
import { buildMigrationContext } from '../runtime/migration-context';
import { quoteIdent } from '../schema/sql-text';
import type { AnyModel } from './model';
import { modelOperations, operationsStatements, type ModelStatement } from './model-statements';

/** Options of {@link createAll}. */
export interface CreateAllOptions {
  /**
   * Kysely pinned to one connection (pool of size 1, or a transaction): `SET ROLE`
   * for privileged statements must stay on the session that runs them.
   */
  readonly db: Kysely<any>;
  readonly schema: string;
  /** The privileged role; needed only when the model has privileged objects. */
  readonly suRole?: string;
  /**
   * Runs privileged statements; defaults to `SET ROLE <suRole>` on `db` through
   * `buildMigrationContext`. When given, `createAll` does not open a transaction
   * itself (the caller's `asSuperuser` is bound to the caller's connection).
   */
  readonly asSuperuser?: <T>(fn: (db: Kysely<any>) => Promise<T>) => Promise<T>;
  /** Create the schema first (`create schema if not exists`). Default false. */
  readonly createSchema?: boolean;
  readonly log?: RevisionLogger;
}

/** What {@link createAll} ran. */
export interface CreateAllResult {
  /** The operations the model became, in the order they ran. */
  readonly operations: readonly Operation[];
  /** Every statement it ran, in order, each naming what it built and whether the SU role ran it. */
  readonly statements: readonly ModelStatement[];
}

/** The session settings the statements need; restored afterwards. */
const SETTINGS = ['search_path', 'check_function_bodies'] as const;

/**
 * Builds a whole model into a schema in one go, in one transaction (unless `db` is one already
 * or `asSuperuser` is given): the counterpart of SQLAlchemy's `metadata.create_all()`. The model
 * goes the way every schema change goes: `diffSnapshots(emptySnapshot, modelToSnapshot(model))`
 * -> operations -> SQL, so it builds what a revision generated from it would build. Statements
 * run with `search_path` set to the schema, then `public` (as revisions run), and
 * `check_function_bodies` off (functions may be created before the tables they read);
 * privileged ones run through `asSuperuser`.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString, max: 1 }) }) });
 * const { statements } = await createAll(crmp, { db, schema: 'crmp', suRole: 'crmpdba' });
 * // CREATE TYPE "crmp"."climo_station_type" ...; ...; SET ROLE "crmpdba"; CREATE OR REPLACE FUNCTION "crmp"."moddatetime_wrapper"() ...; RESET ROLE; ...
 * ```
 * @throws DatabaseError `NO_SU_ROLE` when the model has privileged objects and neither `suRole`
 *   nor `asSuperuser` (nothing runs); RetortError `CREATE_ALL_FAILED` naming what failed, with the
 *   database error as `cause`.
 */
export async function createAll(model: AnyModel, options: CreateAllOptions): Promise<CreateAllResult> {
  const operations = modelOperations(model);
  const statements = operationsStatements(operations, options.schema);
  const privileged = [...new Set(statements.filter((s) => s.privileged).map((s) => s.object))];
  if (privileged.length > 0 && !options.suRole && !options.asSuperuser) {
    throw new DatabaseError(
      'NO_SU_ROLE',
      `The model has privileged objects (${privileged.join(', ')}) and no superuser role is set for schema ${options.schema}: pass suRole (SU_ROLE_NAME, -x su_role=<role>).`,
    );
  }
  const run = async (db: Kysely<any>, batches: boolean): Promise<void> => {
    const asSuperuser =
      options.asSuperuser ??
      buildMigrationContext({
        db,
        schema: options.schema,
        suRole: options.suRole,
        revision: 'createAll',
        direction: 'up',
        ...(options.log ? { log: options.log } : {}),
      }).asSuperuser;
    // What this server's major lacks is refused by name before anything runs (not as a syntax error half way).
    assertServerSupports(operations, (await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(db)).rows[0]!.v);
    if (options.createSchema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    const saved = await sql<
      Record<(typeof SETTINGS)[number], string>
    >`select current_setting('search_path') as search_path, current_setting('check_function_bodies') as check_function_bodies`.execute(db);
    await setSettings(db, { search_path: `${quoteIdent(options.schema)}, public`, check_function_bodies: 'off' });
    const one = async (statement: ModelStatement) => {
      options.log?.info(`${statement.privileged ? '[su] ' : ''}${statement.object}`);
      try {
        if (statement.privileged) await asSuperuser((su) => sql.raw(statement.sql).execute(su));
        else await sql.raw(statement.sql).execute(db);
      } catch (error) {
        if (error instanceof RetortError) throw error;
        throw new RetortError(
          'CREATE_ALL_FAILED',
          `Creating ${statement.object} in schema ${options.schema} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, exitCode: 1 },
        );
      }
    };
    for (const group of batches ? groups(statements) : statements.map((st) => [st])) {
      if (group.length === 1) {
        await one(group[0]!);
        continue;
      }
      // One round trip for many statements (a simple-query script); should it fail, go back to
      // before it and run its statements one at a time, so the error names the one that failed.
      await sql`savepoint retort_create_all`.execute(db);
      try {
        for (const st of group) options.log?.info(st.object);
        // a newline before each `;`: a statement may end in a line comment
        await sql.raw(group.map((st) => st.sql).join('\n;\n')).execute(db);
        await sql`release savepoint retort_create_all`.execute(db);
      } catch {
        await sql`rollback to savepoint retort_create_all`.execute(db);
        for (const st of group) await one(st);
      }
    }
    await setSettings(db, saved.rows[0]!);
  };
  // Statements go in batches only where createAll owns the transaction (batches need savepoints).
  if (options.db.isTransaction || options.asSuperuser) await run(options.db, false);
  else await options.db.transaction().execute((trx) => run(trx, true));
  return { operations, statements };
}

/** Runs of statements that can go to the server as one script: privileged ones stand alone. */
function groups(statements: readonly ModelStatement[]): ModelStatement[][] {
  const out: ModelStatement[][] = [];
  let current: ModelStatement[] = [];
  for (const st of statements) {
    if (st.privileged) {
      if (current.length > 0) out.push(current);
      out.push([st]);
      current = [];
      continue;
    }
    current.push(st);
    if (current.length >= 500) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function setSettings(db: Kysely<any>, values: Record<(typeof SETTINGS)[number], string>): Promise<void> {
  for (const name of SETTINGS) await sql`select set_config(${name}, ${values[name]}, false)`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import { RetortError } from '../errors';
import type { RevisionLogger } from '../runtime/context';
import { buildMigrationContext } from '../runtime/migration-context';
import type { AnyModel } from './model';
import { renderModelDdl, type Statement } from './render-ddl';

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

/** What {@link createAll} did. */
export interface CreateAllResult {
  readonly statements: readonly Statement[];
}

/**
 * Builds a whole model into a schema in one go, in one transaction (unless `db`
 * is one already or `asSuperuser` is given): the counterpart of SQLAlchemy's
 * `metadata.create_all()`. Privileged statements run through `asSuperuser`.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString, max: 1 }) }) });
 * await createAll(crmp, { db, schema: 'crmp', suRole: 'crmpdba' });
 * // create type "crmp"."climo_station_type" ...; ...; SET ROLE "crmpdba"; create function "crmp"."moddatetime_wrapper"() ... ; RESET ROLE; ...
 * ```
 * @throws DatabaseError `NO_SU_ROLE` when the model has privileged objects and no `suRole`;
 *   RetortError `CREATE_ALL_FAILED` naming the statement that failed, with the database error as `cause`.
 */
export async function createAll(model: AnyModel, options: CreateAllOptions): Promise<CreateAllResult> {
  const statements = renderModelDdl(model, options.schema);
  const run = async (db: Kysely<any>): Promise<void> => {
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
    if (options.createSchema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    for (const statement of statements) {
      options.log?.info(`${statement.superuser ? '[su] ' : ''}${statement.object}`);
      try {
        if (statement.superuser) await asSuperuser((su) => sql.raw(statement.sql).execute(su));
        else await sql.raw(statement.sql).execute(db);
      } catch (error) {
        if (error instanceof RetortError) throw error;
        throw new RetortError(
          'CREATE_ALL_FAILED',
          `Creating ${statement.object} in schema ${options.schema} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, exitCode: 1 },
        );
      }
    }
  };
  if (options.db.isTransaction || options.asSuperuser) await run(options.db);
  else await options.db.transaction().execute(run);
  return { statements };
}

import { sql, type Kysely } from 'kysely';
import type { Target } from '../config/target';
import { DatabaseError, RetortError } from '../errors';
import { loadModel, type LoadedModel } from '../loader/load-model';
import { createAll } from '../model/create-all';
import { countModelObjects, modelStatements } from '../model/model-statements';
import { ensureVersionTables, replaceHeads } from '../runtime/version-table';
import { createTargetSchema, withTarget } from '../target/open-target';
import { setSearchPath } from '../target/search-path';
import { checkSuperuser, runAsRole } from '../target/superuser';
import { databaseName, targetName } from '../target/target-name';
import type { Output } from './output';
import type { Project } from './project';
import { changingTarget } from './target-options';

export interface SetupOptions {
  readonly project: Project;
  readonly target: Target;
  /** The model to build; default: {@link loadModel} (ini `[alembic] model`). */
  readonly model?: LoadedModel;
  /** Create the target schema (in the same transaction) when it does not exist. */
  readonly createSchema?: boolean;
  readonly lockTimeoutMs: number;
  readonly output: Output;
}

export interface SetupResult {
  /** `dev:crmp` */
  readonly target: string;
  readonly schema: string;
  /** Where the model came from. */
  readonly model: string;
  /** Objects created: types, sequences, tables, foreign keys, functions, views, indexes, triggers (comments and grants not counted). */
  readonly objects: number;
  /** DDL statements run, comments and grants included. */
  readonly statements: number;
  /** Heads written to the version table (empty when the project has no revisions). */
  readonly stamped: readonly string[];
  readonly createdSchema: boolean;
  readonly durationMs: number;
}

/**
 * `migrate setup`: builds the whole model into an empty schema with {@link createAll} and stamps
 * the revision graph's heads, in one transaction on a locked session (SQLAlchemy's
 * `metadata.create_all()` followed by `alembic stamp head`). A fresh database gets the schema in
 * one go instead of replaying every revision; later revisions then upgrade it as usual.
 *
 * Refuses a schema that already holds objects, and a missing schema unless `createSchema`.
 * When the model has privileged objects, the SU role is checked before any DDL.
 *
 * SQL (schema `crmp`, role `crmpdba`):
 * ```sql
 * BEGIN;
 * create schema "crmp";                               -- with createSchema only
 * select set_config('search_path', '"crmp", public', true);
 * create type "crmp"."climo_station_type" as enum (...); ...; SET ROLE "crmpdba"; create function ...; RESET ROLE; ...
 * create table if not exists "crmp"."alembic_version" (...); ...
 * delete from "crmp"."alembic_version"; insert into "crmp"."alembic_version" (version_num) values ('e6f1b3a5d7c9'); ...
 * COMMIT;
 * ```
 * @example
 * ```ts
 * const r = await setup({ project, target, createSchema: true, lockTimeoutMs: 60_000, output: quietOutput });
 * // { target: 'dev:crmp', objects: 97, stamped: ['e6f1b3a5d7c9'], ... }
 * ```
 */
export async function setup(options: SetupOptions): Promise<SetupResult> {
  const { project, target } = options;
  const name = targetName(target);
  const where = databaseName(target);
  const loaded = options.model ?? (await loadModel(project.config));
  const rendered = modelStatements(loaded.model, target.schema);
  const privileged = unique(rendered.filter((s) => s.privileged).map((s) => s.object));
  const stamped = [...project.graph.heads].sort();
  return withTarget(target, changingTarget(project, options), async (session) => {
    const { db, names } = session;
    if (!session.schemaExists && !options.createSchema) {
      throw new DatabaseError(
        'NO_SCHEMA',
        `Schema "${target.schema}" does not exist in ${where}. Pass --create-schema, create it ("migrate db init"), or set SCHEMA_NAME to an existing empty schema.`,
      );
    }
    await checkModelSuperuser(db, target.suRole, privileged, where, loaded.source);
    const started = performance.now();
    await sql.raw('BEGIN').execute(db);
    try {
      if (session.schemaExists) await refuseNonEmpty(db, target.schema, name);
      else await createTargetSchema(db, target.schema);
      // As while revisions run, so function bodies resolve names the same way; local: gone at COMMIT.
      await setSearchPath(target.schema, { local: true }).execute(db);
      // checkModelSuperuser made sure a role is set when the model has privileged objects.
      const asSuperuser = <R>(fn: (su: Kysely<any>) => Promise<R>) => runAsRole(db, target.suRole!, fn);
      const built = await createAll(loaded.model, { db, schema: target.schema, suRole: target.suRole, asSuperuser });
      await ensureVersionTables(db, names);
      await replaceHeads(db, names, stamped, stamped.join(',') || 'base');
      await sql.raw('COMMIT').execute(db);
      return {
        target: name,
        schema: target.schema,
        model: loaded.source,
        objects: countModelObjects(loaded.model),
        statements: built.statements.length,
        stamped,
        createdSchema: !session.schemaExists,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      await sql
        .raw('ROLLBACK')
        .execute(db)
        .catch(() => undefined);
      if (error instanceof RetortError && error.code === 'CREATE_ALL_FAILED') {
        throw new RetortError(
          error.code,
          `${error.message.replace(/\.$/, '')}. Rolled back: ${name} is unchanged. Fix the model (${loaded.source}) and run again.`,
          {
            cause: error,
            exitCode: error.exitCode,
          },
        );
      }
      throw error;
    }
  });
}

/** `setup`'s summary: `Built 97 objects into dev:crmp; stamped e6f1b3a5d7c9`, after `Created schema "crmp"` when it did. */
export function setupLines(r: SetupResult): string[] {
  const stamped = r.stamped.length > 0 ? `stamped ${r.stamped.join(', ')}` : 'no revisions to stamp';
  const built = `Built ${r.objects} objects into ${r.target}; ${stamped}`;
  return r.createdSchema ? [`Created schema "${r.schema}" in ${r.target}`, built] : [built];
}

/**
 * What a schema holds: relations (tables, views, sequences, indexes...), functions and procedures,
 * and types that are not a relation's row type or an array type. `kind name`, sorted.
 */
export async function schemaObjects(db: Kysely<any>, schema: string): Promise<string[]> {
  const rows = await sql<{ what: string }>`
    select what from (
      select (case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then 'materialized view'
                when 'S' then 'sequence' when 'i' then 'index' when 'I' then 'index' when 'f' then 'foreign table'
                when 'c' then 'type' else 'relation' end) || ' ' || c.relname as what
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = ${schema}
      union all
      select 'function ' || p.proname
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = ${schema}
      union all
      -- typrelid <> 0 is a relation's row type (listed above); typcategory A an array of another type.
      select 'type ' || t.typname
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = ${schema} and t.typrelid = 0 and t.typcategory <> 'A'
    ) o order by what`.execute(db);
  return rows.rows.map((r) => r.what);
}

async function refuseNonEmpty(db: Kysely<any>, schema: string, name: string): Promise<void> {
  const objects = await schemaObjects(db, schema);
  if (objects.length === 0) return;
  const shown = objects.slice(0, 5).join(', ') + (objects.length > 5 ? ', ...' : '');
  throw new DatabaseError(
    'SCHEMA_NOT_EMPTY',
    `Schema "${schema}" in ${name} already holds ${objects.length} object${objects.length === 1 ? '' : 's'} (${shown}); setup builds into an empty schema only. Use "migrate upgrade head" for an existing schema, or pick an empty one with -x schema=<name> --create-schema.`,
  );
}

/** checkSuperuser's preflight, with messages that name the model rather than revisions. */
async function checkModelSuperuser(db: Kysely<any>, suRole: string | undefined, privileged: readonly string[], where: string, source: string): Promise<void> {
  if (privileged.length === 0) return;
  const objects = privileged.join(', ');
  if (!suRole) {
    throw new DatabaseError(
      'NO_SU_ROLE',
      `The model (${source}) has privileged objects (${objects}) and no superuser role is set. Set SU_ROLE_NAME, pass -x su_role=<role>, or set su_role_name in alembic.ini.`,
    );
  }
  try {
    await checkSuperuser(db, suRole, privileged, where);
  } catch (error) {
    if (!(error instanceof DatabaseError)) throw error;
    const message =
      error.code === 'SU_ROLE_DENIED'
        ? `The login user may not SET ROLE "${suRole}" in ${where}, which the model's privileged objects (${objects}) need. GRANT "${suRole}" TO the login user, then run again.`
        : error.message;
    throw new DatabaseError(error.code, message, { cause: error });
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

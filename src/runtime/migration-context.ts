import type { Direction } from '../graph/revision';
import { sql, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';
import { runAsRole } from '../target/superuser';
import type { MigrationContext, RevisionLogger } from '../revision-module';

export interface ContextOptions {
  readonly db: Kysely<any>;
  readonly schema: string;
  readonly suRole: string | undefined;
  readonly revision: string;
  readonly direction: Direction;
  readonly offline?: boolean;
  readonly log?: RevisionLogger;
}

const silent: RevisionLogger = { info() {}, warn() {} };

/**
 * Builds the `ctx` a revision's `upgrade`/`downgrade` receives.
 *
 * `db` must be pinned to one connection (a pool of size 1 or `db.connection()`),
 * because `asSuperuser` relies on `SET ROLE` staying on the same session.
 *
 * @example
 * ```ts
 * const ctx = buildMigrationContext({ db, schema: 'crmp', suRole: 'crmpdba', revision: 'abc', direction: 'up' });
 * await ctx.asSuperuser((db) => sql`create extension if not exists moddatetime`.execute(db));
 * // SQL: SET ROLE "crmpdba"; create extension ...; RESET ROLE
 * ```
 */
export function buildMigrationContext(options: ContextOptions): MigrationContext {
  const { db, schema, suRole, revision, direction } = options;
  return {
    db,
    schema,
    suRole,
    sql,
    revision,
    direction,
    offline: options.offline ?? false,
    log: options.log ?? silent,
    async asSuperuser<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
      if (!suRole) {
        throw new DatabaseError(
          'NO_SU_ROLE',
          `Revision ${revision} needs a superuser role: set SU_ROLE_NAME, pass -x su_role=<role>, or set su_role_name in alembic.ini.`,
        );
      }
      return runAsRole(db, suRole, fn);
    },
  };
}

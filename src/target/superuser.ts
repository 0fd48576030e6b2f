import { sql, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';

/**
 * Runs `fn` as `role` on the same session: `SET ROLE`, then `RESET ROLE` whatever `fn` does. The
 * one implementation: revisions' `ctx.asSuperuser`, `setup` and autogenerate's scratch build use it.
 * `db` must be pinned to one connection, or the role would be set on another one.
 *
 * @example
 * ```ts
 * await runAsRole(db, 'crmpdba', (su) => sql`create extension if not exists moddatetime`.execute(su));
 * // SET ROLE "crmpdba"; create extension ...; RESET ROLE
 * ```
 */
export async function runAsRole<T>(db: Kysely<any>, role: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  await sql`set role ${sql.id(role)}`.execute(db);
  try {
    return await fn(db);
  } finally {
    // In an aborted transaction RESET fails; the rollback that follows restores the role anyway.
    await sql`reset role`.execute(db).catch(() => undefined);
  }
}

/**
 * Preflight for work that needs the SU role (revisions that call `asSuperuser`, privileged model
 * objects): the role is configured, exists, and the login user may `SET ROLE` to it. Checked
 * before any DDL runs; `revisions` are the ones that need it, for the message.
 *
 * @throws DatabaseError `NO_SU_ROLE`, `SU_ROLE_MISSING` or `SU_ROLE_DENIED`.
 */
export async function checkSuperuser(db: Kysely<any>, suRole: string | undefined, revisions: readonly string[], name: string): Promise<void> {
  if (revisions.length === 0) return;
  const which = `Revision${revisions.length > 1 ? 's' : ''} ${revisions.join(', ')}`;
  if (!suRole) {
    throw new DatabaseError(
      'NO_SU_ROLE',
      `${which} need${revisions.length > 1 ? '' : 's'} a superuser role and none is set. Set SU_ROLE_NAME, pass -x su_role=<role>, or set su_role_name in alembic.ini.`,
    );
  }
  const r = await sql<{ exists: boolean; member: boolean | null }>`select exists (select 1 from pg_roles where rolname = ${suRole}) as exists,
      case when exists (select 1 from pg_roles where rolname = ${suRole}) then pg_has_role(session_user, ${suRole}, 'MEMBER') end as member`.execute(db);
  const row = r.rows[0];
  if (!row?.exists)
    throw new DatabaseError(
      'SU_ROLE_MISSING',
      `Role "${suRole}" (SU_ROLE_NAME) does not exist in ${name}. Create it (migrate db init) or set SU_ROLE_NAME to an existing role.`,
    );
  if (!row.member)
    throw new DatabaseError(
      'SU_ROLE_DENIED',
      `The login user may not SET ROLE "${suRole}" in ${name}, which ${which} need. GRANT "${suRole}" TO the login user, then run again.`,
    );
}

import { sql } from 'kysely';
import type { Target } from '../config/target';
import { isEmbeddedUrl } from '../embedded/url';
import type { Session } from '../target/session';
import { initDatabase } from './init-database';

/**
 * A command's provisioning step for the private local database (`embedded:` URLs): the target
 * schema and the SU role exist, created as `migrate db init` would when either is missing, so
 * `-x db=local` works with no set-up. Any other URL is left alone: its database is provisioned
 * by `db init` or a DBA. Pass it as `prepare` to {@link withTarget}.
 *
 * SQL when all is there: `select exists (... pg_namespace ...), exists (... pg_roles ...)`.
 *
 * @example
 * ```ts
 * await withTarget(target, { ...options, prepare: provisionEmbedded }, async (t) => ...);
 * ```
 */
export async function provisionEmbedded(session: Session, target: Target): Promise<void> {
  if (!isEmbeddedUrl(target.url)) return;
  const suRole = target.suRole ?? null;
  const found = await sql<{ ready: boolean }>`
    select exists (select 1 from pg_namespace where nspname = ${target.schema})
       and (${suRole}::text is null or exists (select 1 from pg_roles where rolname = ${suRole})) as ready`.execute(session.db);
  if (found.rows[0]?.ready) return;
  await initDatabase({
    serverUrl: session.url,
    database: 'postgres',
    schemas: [target.schema],
    user: 'postgres',
    ...(target.suRole ? { suRole: target.suRole } : {}),
  });
}

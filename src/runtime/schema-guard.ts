/**
 * A run-time guard against revisions that write outside the target schema (`withSchema('t1')`
 * while upgrading `t3`): event triggers that make any DDL on an object of another schema fail,
 * so the transaction rolls back. Lint finds most such revisions before they run; this catches
 * the rest, where the login role may create event triggers (a superuser).
 *
 * The guard lives only inside the command's own transaction: its function is a temporary one
 * (pg_temp, invisible to other sessions), its triggers are created after BEGIN and dropped
 * before COMMIT, so no other session ever sees them. A non-transactional revision runs outside
 * any transaction, so it runs unguarded.
 */
import { sql, type Kysely } from 'kysely';

/** The guard of one plan: installed after each BEGIN, removed before each COMMIT. */
export interface SchemaGuard {
  /** Creates the triggers in the current transaction (one round trip). */
  install(): Promise<void>;
  /** Drops them, before COMMIT (one round trip); the function goes with the session. */
  remove(): Promise<void>;
}

const FUNCTION = sql`pg_temp.retort_schema_guard`;

/**
 * Prepares the guard for `schema` if the login role may create event triggers (else returns
 * undefined and creates nothing): the temporary function once, then the triggers per
 * transaction.
 *
 * SQL (as a superuser, backend pid 4711):
 * ```sql
 * create or replace function pg_temp.retort_schema_guard() returns event_trigger ...;
 * create event trigger "retort_schema_guard_4711" on ddl_command_end execute function pg_temp.retort_schema_guard();
 * create event trigger "retort_schema_drop_guard_4711" on sql_drop execute function pg_temp.retort_schema_guard();
 * select set_config('retort.guard_schema', 'crmp', true);
 * ```
 */
export async function prepareSchemaGuard(db: Kysely<any>, schema: string): Promise<SchemaGuard | undefined> {
  const who = await sql<{ superuser: boolean; pid: number }>`select current_setting('is_superuser') = 'on' as superuser, pg_backend_pid() as pid`.execute(db);
  const { superuser, pid } = who.rows[0]!;
  if (!superuser) return undefined;
  await sql`create or replace function ${FUNCTION}() returns event_trigger language plpgsql as $guard$
declare
  target text := current_setting('retort.guard_schema', true);
  r record;
begin
  if target is null or target = '' then
    return;
  end if;
  if tg_event = 'sql_drop' then
    for r in select * from pg_event_trigger_dropped_objects() loop
      if r.schema_name is not null and r.schema_name <> target and r.schema_name <> 'pg_toast' and r.schema_name !~ '^pg_temp' and not r.is_temporary then
        raise exception 'the revision dropped % % outside the target schema "%" (Retort''s schema guard)', r.object_type, r.object_identity, target
          using hint = 'A revision works in ctx.schema only: use ctx.schema (withSchema(ctx.schema), ctx.sql.id(ctx.schema, ...)).';
      end if;
    end loop;
    return;
  end if;
  if tg_tag in ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES', 'CREATE EXTENSION', 'ALTER EXTENSION', 'DROP EXTENSION') then
    return;
  end if;
  for r in select * from pg_event_trigger_ddl_commands() loop
    if r.in_extension then
      continue;
    end if;
    if (r.schema_name is not null and r.schema_name <> target and r.schema_name <> 'pg_toast' and r.schema_name !~ '^pg_temp')
       or (r.object_type = 'schema' and r.object_identity <> quote_ident(target)) then
      raise exception 'the revision changed % % outside the target schema "%" (Retort''s schema guard)', r.object_type, r.object_identity, target
        using hint = 'A revision works in ctx.schema only: use ctx.schema (withSchema(ctx.schema), ctx.sql.id(ctx.schema, ...)).';
    end if;
  end loop;
end
$guard$`.execute(db);
  const onDdl = sql.id(`retort_schema_guard_${pid}`);
  const onDrop = sql.id(`retort_schema_drop_guard_${pid}`);
  return {
    async install() {
      await sql`create event trigger ${onDdl} on ddl_command_end execute function ${FUNCTION}();
        create event trigger ${onDrop} on sql_drop execute function ${FUNCTION}();
        select set_config('retort.guard_schema', ${sql.lit(schema)}, true)`.execute(db);
    },
    async remove() {
      await sql`select set_config('retort.guard_schema', '', true);
        drop event trigger if exists ${onDdl};
        drop event trigger if exists ${onDrop}`.execute(db);
    },
  };
}

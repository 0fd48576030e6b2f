/**
 * Create functions
 *
 * Revision ID: 4b7c2e9f1a36
 * Revises: 5e1a0c3b7d24
 * Create Date: 2024-01-22 14:30:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '4b7c2e9f1a36';
export const downRevision = '5e1a0c3b7d24';
export const message = 'Create functions';

// Function sources are stored verbatim: they start at column 0 on purpose.

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);

  await sql`create function ${id('set_mod_time')}() returns trigger language plpgsql volatile as $body$
begin
  new.mod_time := now();
  return new;
end;
$body$`.execute(ctx.db);

  await sql`create function ${id('daysinmonth')}(d timestamp without time zone) returns double precision language sql immutable as $body$
select extract(day from date_trunc('month', d) + interval '1 month' - interval '1 day')::double precision
$body$`.execute(ctx.db);

  await sql`create function ${id('lastdateofmonth')}(date) returns date language sql immutable as $body$
select (date_trunc('month', $1) + interval '1 month' - interval '1 day')::date
$body$`.execute(ctx.db);

  await sql`create function ${id('effective_day')}(obs_time timestamp without time zone, extremum character varying, freq character varying default ''::character varying)
returns timestamp without time zone language plpgsql volatile as $body$
declare
  offs interval := '0'::interval; -- offset is a reserved word
begin
  if extremum = 'max' and freq = '12-hourly' and date_part('hour', obs_time) >= 12 then
    offs := '1 day'::interval;
  end if;
  return date_trunc('day', obs_time) + offs;
end;
$body$`.execute(ctx.db);
  await sql`comment on function ${id('effective_day')}(timestamp without time zone, character varying, character varying) is ${sql.lit(
    'Maps an observation time to the day its daily extremum counts for.',
  )}`.execute(ctx.db);

  await sql`create function ${id('season')}(d timestamp without time zone) returns date language plpgsql immutable as $body$
begin
  return make_date(
    extract(year from d)::integer,
    case
      when extract(month from d) in (12, 1, 2) then 1
      when extract(month from d) in (3, 4, 5) then 4
      when extract(month from d) in (6, 7, 8) then 7
      else 10
    end,
    15);
end;
$body$`.execute(ctx.db);

  await sql`create function ${id('updatesdateedate')}() returns void language plpgsql volatile as $body$
begin
  update ${id('meta_station')} st
  set min_obs_time = stats.min_time, max_obs_time = stats.max_time
  from (
    select h.station_id, min(o.obs_time) as min_time, max(o.obs_time) as max_time
    from ${id('obs_raw')} o
    join ${id('meta_history')} h on h.history_id = o.history_id
    group by h.station_id
  ) stats
  where st.station_id = stats.station_id;
end;
$body$`.execute(ctx.db);

  await sql`create function ${id('getstationvariabletable')}(p_station_id integer, p_climo boolean) returns text language plpgsql stable as $body$
declare
  columns text;
  vars_ids text;
  history_ids text;
begin
  select
    string_agg(format('max(case when vars_id = %s then datum end) as %I', v.vars_id, v.net_var_name), ', ' order by v.net_var_name),
    string_agg(v.vars_id::text, ', ' order by v.net_var_name)
  into columns, vars_ids
  from ${id('meta_vars')} v
  join ${id('meta_station')} st on st.network_id = v.network_id
  where st.station_id = p_station_id
    and (v.cell_method ~ '(within|over)') = p_climo;
  select string_agg(h.history_id::text, ', ') into history_ids
  from ${id('meta_history')} h
  where h.station_id = p_station_id;
  if columns is null or history_ids is null then
    return null;
  end if;
  return format(
    'select obs_time, %s from %I.%I where history_id in (%s) and vars_id in (%s) group by obs_time order by obs_time',
    columns, ${sql.lit(ctx.schema)}, 'obs_raw', history_ids, vars_ids);
end;
$body$`.execute(ctx.db);

  await sql`create function ${id('query_one_station')}(p_station_id integer) returns text language sql stable as $body$
select ${id('getstationvariabletable')}(p_station_id, false)
$body$`.execute(ctx.db);

  await sql`create function ${id('query_one_station_climo')}(p_station_id integer) returns text language sql stable as $body$
select ${id('getstationvariabletable')}(p_station_id, true)
$body$`.execute(ctx.db);

  await sql`create trigger obs_raw_set_mod_time before update on ${id('obs_raw')}
for each row execute function ${id('set_mod_time')}()`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  await sql`drop trigger obs_raw_set_mod_time on ${id('obs_raw')}`.execute(ctx.db);
  await sql`drop function ${id('query_one_station_climo')}(integer)`.execute(ctx.db);
  await sql`drop function ${id('query_one_station')}(integer)`.execute(ctx.db);
  await sql`drop function ${id('getstationvariabletable')}(integer, boolean)`.execute(ctx.db);
  await sql`drop function ${id('updatesdateedate')}()`.execute(ctx.db);
  await sql`drop function ${id('season')}(timestamp without time zone)`.execute(ctx.db);
  await sql`drop function ${id('effective_day')}(timestamp without time zone, character varying, character varying)`.execute(ctx.db);
  await sql`drop function ${id('lastdateofmonth')}(date)`.execute(ctx.db);
  await sql`drop function ${id('daysinmonth')}(timestamp without time zone)`.execute(ctx.db);
  await sql`drop function ${id('set_mod_time')}()`.execute(ctx.db);
}

/**
 * Update effective_day: case-insensitive arguments, immutable
 *
 * Revision ID: 70b4e2c9a18d
 * Revises: d2a6c8e4f031
 * Create Date: 2024-05-13 13:00:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '70b4e2c9a18d';
export const downRevision = 'd2a6c8e4f031';
export const message = 'Update effective_day: case-insensitive arguments, immutable';

// `create or replace` keeps the function's comment and privileges.

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  await sql`create or replace function ${sql.id(ctx.schema, 'effective_day')}(obs_time timestamp without time zone, extremum character varying, freq character varying default ''::character varying)
returns timestamp without time zone language plpgsql immutable as $body$
declare
  offs interval := '0'::interval; -- offset is a reserved word
begin
  -- 12-hourly maxima reported in the afternoon belong to the next day
  if lower(extremum) = 'max' and lower(freq) = '12-hourly' and date_part('hour', obs_time) >= 12 then
    offs := '1 day'::interval;
  end if;
  return date_trunc('day', obs_time) + offs;
end;
$body$`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  await sql`create or replace function ${sql.id(ctx.schema, 'effective_day')}(obs_time timestamp without time zone, extremum character varying, freq character varying default ''::character varying)
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
}

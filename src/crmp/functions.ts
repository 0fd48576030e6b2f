import { sql } from 'kysely';
import { pgFunction } from '../model';

// Function sources are kept by PostgreSQL verbatim, so each body below is written
// character for character as the revision that last changed it (revisions/).
// Bodies start at column 0 for that reason.

/** Keeps `mod_time` current on update (plpgsql). */
export const setModTime = pgFunction('set_mod_time', {
  returns: 'trigger',
  language: 'plpgsql',
  body: sql`
begin
  new.mod_time := now();
  return new;
end;
`,
});

/** contrib's moddatetime as a function of this schema: C, so it needs the superuser role. */
export const moddatetimeWrapper = pgFunction('moddatetime_wrapper', {
  returns: 'trigger',
  language: 'c',
  privileged: true,
  body: { file: '$libdir/moddatetime', symbol: 'moddatetime' },
  comment: 'Sets the column named by the trigger argument to the current time (contrib moddatetime).',
});

export const daysInMonth = pgFunction('daysinmonth', {
  args: [{ name: 'd', type: 'timestamp without time zone' }],
  returns: 'double precision',
  language: 'sql',
  volatility: 'immutable',
  body: sql`
select extract(day from date_trunc('month', d) + interval '1 month' - interval '1 day')::double precision
`,
});

export const lastDateOfMonth = pgFunction('lastdateofmonth', {
  args: [{ type: 'date' }],
  returns: 'date',
  language: 'sql',
  volatility: 'immutable',
  body: sql`
select (date_trunc('month', $1) + interval '1 month' - interval '1 day')::date
`,
});

/** The day a daily extremum counts for (revised in 70b4e2c9a18d). */
export const effectiveDay = pgFunction('effective_day', {
  args: [
    { name: 'obs_time', type: 'timestamp without time zone' },
    { name: 'extremum', type: 'character varying' },
    { name: 'freq', type: 'character varying', default: sql`''::character varying` },
  ],
  returns: 'timestamp without time zone',
  language: 'plpgsql',
  volatility: 'immutable',
  comment: 'Maps an observation time to the day its daily extremum counts for.',
  body: sql`
declare
  offs interval := '0'::interval; -- offset is a reserved word
begin
  -- 12-hourly maxima reported in the afternoon belong to the next day
  if lower(extremum) = 'max' and lower(freq) = '12-hourly' and date_part('hour', obs_time) >= 12 then
    offs := '1 day'::interval;
  end if;
  return date_trunc('day', obs_time) + offs;
end;
`,
});

export const season = pgFunction('season', {
  args: [{ name: 'd', type: 'timestamp without time zone' }],
  returns: 'date',
  language: 'plpgsql',
  volatility: 'immutable',
  body: sql`
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
`,
});

export const updateSdateEdate = pgFunction('updatesdateedate', {
  returns: 'void',
  language: 'plpgsql',
  body: (s) => sql`
begin
  update ${s('meta_station')} st
  set min_obs_time = stats.min_time, max_obs_time = stats.max_time
  from (
    select h.station_id, min(o.obs_time) as min_time, max(o.obs_time) as max_time
    from ${s('obs_raw')} o
    join ${s('meta_history')} h on h.history_id = o.history_id
    group by h.station_id
  ) stats
  where st.station_id = stats.station_id;
end;
`,
});

/** The text of a query returning one column per variable of a station, one row per time. */
export const getStationVariableTable = pgFunction('getstationvariabletable', {
  args: [
    { name: 'p_station_id', type: 'integer' },
    { name: 'p_climo', type: 'boolean' },
  ],
  returns: 'text',
  language: 'plpgsql',
  volatility: 'stable',
  body: (s) => sql`
declare
  columns text;
  vars_ids text;
  history_ids text;
begin
  select
    string_agg(format('max(case when vars_id = %s then datum end) as %I', v.vars_id, v.net_var_name), ', ' order by v.net_var_name),
    string_agg(v.vars_id::text, ', ' order by v.net_var_name)
  into columns, vars_ids
  from ${s('meta_vars')} v
  join ${s('meta_station')} st on st.network_id = v.network_id
  where st.station_id = p_station_id
    and (v.cell_method ~ '(within|over)') = p_climo;
  select string_agg(h.history_id::text, ', ') into history_ids
  from ${s('meta_history')} h
  where h.station_id = p_station_id;
  if columns is null or history_ids is null then
    return null;
  end if;
  return format(
    'select obs_time, %s from %I.%I where history_id in (%s) and vars_id in (%s) group by obs_time order by obs_time',
    columns, ${s.literal}, 'obs_raw', history_ids, vars_ids);
end;
`,
});

export const queryOneStation = pgFunction('query_one_station', {
  args: [{ name: 'p_station_id', type: 'integer' }],
  returns: 'text',
  language: 'sql',
  volatility: 'stable',
  body: (s) => sql`
select ${s('getstationvariabletable')}(p_station_id, false)
`,
});

export const queryOneStationClimo = pgFunction('query_one_station_climo', {
  args: [{ name: 'p_station_id', type: 'integer' }],
  returns: 'text',
  language: 'sql',
  volatility: 'stable',
  body: (s) => sql`
select ${s('getstationvariabletable')}(p_station_id, true)
`,
});

/** In creation order: the SQL functions come after the function they call. */
export const crmpFunctions = [
  setModTime,
  moddatetimeWrapper,
  daysInMonth,
  lastDateOfMonth,
  effectiveDay,
  season,
  updateSdateEdate,
  getStationVariableTable,
  queryOneStation,
  queryOneStationClimo,
] as const;

import { sql } from 'kysely';
import { bigint, column, date, doublePrecision, integer, interval, materializedView, numeric, text, timestamp, varchar, view } from '../model';

// Views and materialized views. PostgreSQL stores them parsed and prints them
// back normalised, so only their meaning must match the revisions, not their layout.

export const historyStationNetwork = view('history_station_network', {
  columns: {
    network_id: integer(),
    station_id: integer(),
    history_id: integer(),
    station_name: varchar(),
    lon: numeric(),
    lat: numeric(),
    elev: doublePrecision(),
    sdate: date(),
    edate: date(),
    tz_offset: interval(),
    province: varchar(),
    country: varchar(),
    comments: varchar(),
    sensor_id: integer(),
    freq: varchar(),
    native_id: varchar(),
    network_name: varchar(),
    description: varchar(),
    virtual: varchar(),
  },
  body: (s) => sql`
    select st.network_id, h.station_id, h.history_id, h.station_name, h.lon, h.lat, h.elev,
      h.sdate, h.edate, h.tz_offset, h.province, h.country, h.comments, h.sensor_id, h.freq,
      st.native_id, n.network_name, n.description, n.virtual
    from ${s('meta_history')} h
    join ${s('meta_station')} st on st.station_id = h.station_id
    join ${s('meta_network')} n on n.network_id = st.network_id`,
});

export const obsWithFlags = view('obs_with_flags', {
  columns: {
    vars_id: integer(),
    network_id: integer(),
    unit: varchar(),
    standard_name: varchar(),
    cell_method: varchar(),
    net_var_name: varchar(),
    station_id: integer(),
    obs_raw_id: bigint(),
    obs_time: timestamp(),
    mod_time: timestamp(),
    datum: doublePrecision(),
    native_flags: column<string[]>('character varying[]'),
    pcic_flags: column<string[]>('character varying[]'),
  },
  body: (s) => sql`
    select v.vars_id, v.network_id, v.unit, v.standard_name, v.cell_method, v.net_var_name,
      h.station_id, o.obs_raw_id, o.obs_time, o.mod_time, o.datum,
      array(select nf.flag_name from ${s('obs_raw_native_flags')} x
            join ${s('meta_native_flag')} nf on nf.native_flag_id = x.native_flag_id
            where x.obs_raw_id = o.obs_raw_id order by nf.flag_name) as native_flags,
      array(select pf.flag_name from ${s('obs_raw_pcic_flags')} y
            join ${s('meta_pcic_flag')} pf on pf.pcic_flag_id = y.pcic_flag_id
            where y.obs_raw_id = o.obs_raw_id order by pf.flag_name) as pcic_flags
    from ${s('obs_raw')} o
    join ${s('meta_vars')} v on v.vars_id = o.vars_id
    join ${s('meta_history')} h on h.history_id = o.history_id`,
});

export const obsCountPerDayHistory = view('obs_count_per_day_history_v', {
  columns: { count: bigint(), date_trunc: timestamp(), history_id: integer() },
  body: (s) => sql`
    select count(*) as count, date_trunc('day', o.obs_time) as date_trunc, o.history_id
    from ${s('obs_raw')} o
    group by date_trunc('day', o.obs_time), o.history_id`,
});

export const varsPerHistory = materializedView('vars_per_history_mv', {
  columns: { history_id: integer(), vars_id: integer(), start_time: timestamp(), end_time: timestamp() },
  body: (s) => sql`
    select o.history_id, o.vars_id, min(o.obs_time) as start_time, max(o.obs_time) as end_time
    from ${s('obs_raw')} o
    group by o.history_id, o.vars_id`,
})
  .index('vars_per_history_mv_idx', ['history_id', 'vars_id'], { unique: true })
  .index('vars_per_history_mv_vars_id_idx', ['vars_id']);

export const collapsedVars = materializedView('collapsed_vars_mv', {
  dependsOn: ['vars_per_history_mv'],
  columns: { history_id: integer(), vars: text(), display_names: text() },
  body: (s) => sql`
    select vph.history_id,
      array_to_string(array_agg(v.standard_name || regexp_replace(v.cell_method, 'time: ', '_', 'g') order by v.vars_id), ', ') as vars,
      array_to_string(array_agg(v.display_name order by v.vars_id), '|') as display_names
    from ${s('vars_per_history_mv')} vph
    join ${s('meta_vars')} v on v.vars_id = vph.vars_id
    group by vph.history_id`,
}).index('collapsed_vars_mv_idx', ['history_id'], { unique: true });

export const obsCountPerMonthHistory = materializedView('obs_count_per_month_history_mv', {
  columns: { count: bigint(), date_trunc: timestamp(), history_id: integer() },
  body: (s) => sql`
    select count(*) as count, date_trunc('month', o.obs_time) as date_trunc, o.history_id
    from ${s('obs_raw')} o
    group by date_trunc('month', o.obs_time), o.history_id`,
})
  .index('obs_count_per_month_history_mv_idx', ['history_id', 'date_trunc'], { unique: true })
  .index('obs_count_per_month_history_mv_date_trunc_idx', [{ column: 'date_trunc', order: 'desc' }]);

export const stationObsStats = materializedView('station_obs_stats_mv', {
  columns: {
    station_id: integer(),
    history_id: integer(),
    min_obs_time: timestamp(),
    max_obs_time: timestamp(),
    obs_count: bigint(),
  },
  comment: 'First and last observation time and observation count of each station history.',
  body: (s) => sql`
    select h.station_id, h.history_id, min(o.obs_time) as min_obs_time, max(o.obs_time) as max_obs_time,
      count(*) as obs_count
    from ${s('meta_history')} h
    join ${s('obs_raw')} o on o.history_id = h.history_id
    group by h.station_id, h.history_id`,
})
  .index('station_obs_stats_mv_idx', ['station_id', 'history_id'], { unique: true })
  .index('station_obs_stats_mv_history_id_idx', ['history_id']);

/** Used by the PDP GeoServer for the station map layers (revised in d2a6c8e4f031). */
export const crmpNetworkGeoserver = view('crmp_network_geoserver', {
  dependsOn: ['collapsed_vars_mv', 'station_obs_stats_mv'],
  comment: 'Published stations with their network and variables, for the GeoServer map layers.',
  columns: {
    network_name: varchar(),
    native_id: varchar(),
    station_name: varchar(),
    lon: numeric(),
    lat: numeric(),
    elev: doublePrecision(),
    min_obs_time: timestamp(),
    max_obs_time: timestamp(),
    freq: varchar(),
    tz_offset: interval(),
    province: varchar(),
    station_id: integer(),
    history_id: integer(),
    country: varchar(),
    comments: varchar(),
    sensor_id: integer(),
    description: varchar(),
    network_id: integer(),
    col_hex: varchar(),
    vars: text(),
    display_names: text(),
  },
  body: (s) => sql`
    select n.network_name, st.native_id, h.station_name, h.lon, h.lat, h.elev,
      sos.min_obs_time, sos.max_obs_time, h.freq, h.tz_offset, h.province, h.station_id,
      h.history_id, h.country, h.comments, h.sensor_id, n.description, st.network_id,
      n.color as col_hex, cv.vars, cv.display_names
    from ${s('meta_history')} h
    join ${s('meta_station')} st on st.station_id = h.station_id
    join ${s('meta_network')} n on n.network_id = st.network_id
    left join ${s('collapsed_vars_mv')} cv on cv.history_id = h.history_id
    left join ${s('station_obs_stats_mv')} sos on sos.history_id = h.history_id
    where st.publish`,
});

export const crmpViews = [historyStationNetwork, obsWithFlags, obsCountPerDayHistory, crmpNetworkGeoserver] as const;
export const crmpMaterializedViews = [varsPerHistory, collapsedVars, obsCountPerMonthHistory, stationObsStats] as const;

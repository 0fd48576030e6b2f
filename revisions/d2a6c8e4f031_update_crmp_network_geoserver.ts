/**
 * Update crmp_network_geoserver: published stations, statistics from station_obs_stats_mv
 *
 * Revision ID: d2a6c8e4f031
 * Revises: 1f9e8a7b6c53
 * Create Date: 2024-04-09 10:20:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = 'd2a6c8e4f031';
export const downRevision = '1f9e8a7b6c53';
export const message = 'Update crmp_network_geoserver: published stations, statistics from station_obs_stats_mv';

// Same columns in the same order, so `create or replace` keeps grants and dependants.

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  await sql`create or replace view ${id('crmp_network_geoserver')} as
    select n.network_name, st.native_id, h.station_name, h.lon, h.lat, h.elev,
      sos.min_obs_time, sos.max_obs_time, h.freq, h.tz_offset, h.province, h.station_id,
      h.history_id, h.country, h.comments, h.sensor_id, n.description, st.network_id,
      n.color as col_hex, cv.vars, cv.display_names
    from ${id('meta_history')} h
    join ${id('meta_station')} st on st.station_id = h.station_id
    join ${id('meta_network')} n on n.network_id = st.network_id
    left join ${id('collapsed_vars_mv')} cv on cv.history_id = h.history_id
    left join ${id('station_obs_stats_mv')} sos on sos.history_id = h.history_id
    where st.publish`.execute(ctx.db);
  await sql`comment on view ${id('crmp_network_geoserver')} is ${sql.lit(
    'Published stations with their network and variables, for the GeoServer map layers.',
  )}`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  // As 9d0e6f2a8c41 made it, but after c47d91e0a2f5 renamed col_hex.
  await sql`create or replace view ${id('crmp_network_geoserver')} as
    select n.network_name, st.native_id, h.station_name, h.lon, h.lat, h.elev,
      st.min_obs_time, st.max_obs_time, h.freq, h.tz_offset, h.province, h.station_id,
      h.history_id, h.country, h.comments, h.sensor_id, n.description, st.network_id,
      n.color as col_hex, cv.vars, cv.display_names
    from ${id('meta_history')} h
    join ${id('meta_station')} st on st.station_id = h.station_id
    join ${id('meta_network')} n on n.network_id = st.network_id
    left join ${id('collapsed_vars_mv')} cv on cv.history_id = h.history_id`.execute(ctx.db);
  await sql`comment on view ${id('crmp_network_geoserver')} is ${sql.lit('Stations with their network and variables, for the GeoServer map layers.')}`.execute(
    ctx.db,
  );
}

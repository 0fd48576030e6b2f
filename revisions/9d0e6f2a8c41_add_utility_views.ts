/**
 * Add utility views and materialized views
 *
 * Revision ID: 9d0e6f2a8c41
 * Revises: 4b7c2e9f1a36
 * Create Date: 2024-01-31 16:50:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '9d0e6f2a8c41';
export const downRevision = '4b7c2e9f1a36';
export const message = 'Add utility views and materialized views';

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  const schema = ctx.db.schema.withSchema(ctx.schema);

  await sql`create view ${id('history_station_network')} as
    select st.network_id, h.station_id, h.history_id, h.station_name, h.lon, h.lat, h.elev,
      h.sdate, h.edate, h.tz_offset, h.province, h.country, h.comments, h.sensor_id, h.freq,
      st.native_id, n.network_name, n.description, n.virtual
    from ${id('meta_history')} h
    join ${id('meta_station')} st on st.station_id = h.station_id
    join ${id('meta_network')} n on n.network_id = st.network_id`.execute(ctx.db);

  await sql`create view ${id('obs_with_flags')} as
    select v.vars_id, v.network_id, v.unit, v.standard_name, v.cell_method, v.net_var_name,
      h.station_id, o.obs_raw_id, o.obs_time, o.mod_time, o.datum,
      array(select nf.flag_name from ${id('obs_raw_native_flags')} x
            join ${id('meta_native_flag')} nf on nf.native_flag_id = x.native_flag_id
            where x.obs_raw_id = o.obs_raw_id order by nf.flag_name) as native_flags,
      array(select pf.flag_name from ${id('obs_raw_pcic_flags')} y
            join ${id('meta_pcic_flag')} pf on pf.pcic_flag_id = y.pcic_flag_id
            where y.obs_raw_id = o.obs_raw_id order by pf.flag_name) as pcic_flags
    from ${id('obs_raw')} o
    join ${id('meta_vars')} v on v.vars_id = o.vars_id
    join ${id('meta_history')} h on h.history_id = o.history_id`.execute(ctx.db);

  await sql`create view ${id('obs_count_per_day_history_v')} as
    select count(*) as count, date_trunc('day', o.obs_time) as date_trunc, o.history_id
    from ${id('obs_raw')} o
    group by date_trunc('day', o.obs_time), o.history_id`.execute(ctx.db);

  await sql`create materialized view ${id('vars_per_history_mv')} as
    select o.history_id, o.vars_id, min(o.obs_time) as start_time, max(o.obs_time) as end_time
    from ${id('obs_raw')} o
    group by o.history_id, o.vars_id`.execute(ctx.db);
  await schema.createIndex('vars_per_history_mv_idx').unique().on('vars_per_history_mv').columns(['history_id', 'vars_id']).execute();
  await schema.createIndex('vars_per_history_mv_vars_id_idx').on('vars_per_history_mv').column('vars_id').execute();

  await sql`create materialized view ${id('collapsed_vars_mv')} as
    select vph.history_id,
      array_to_string(array_agg(v.standard_name || regexp_replace(v.cell_method, 'time: ', '_', 'g') order by v.vars_id), ', ') as vars,
      array_to_string(array_agg(v.display_name order by v.vars_id), '|') as display_names
    from ${id('vars_per_history_mv')} vph
    join ${id('meta_vars')} v on v.vars_id = vph.vars_id
    group by vph.history_id`.execute(ctx.db);
  await schema.createIndex('collapsed_vars_mv_idx').unique().on('collapsed_vars_mv').column('history_id').execute();

  await sql`create materialized view ${id('obs_count_per_month_history_mv')} as
    select count(*) as count, date_trunc('month', o.obs_time) as date_trunc, o.history_id
    from ${id('obs_raw')} o
    group by date_trunc('month', o.obs_time), o.history_id`.execute(ctx.db);
  await schema.createIndex('obs_count_per_month_history_mv_idx').unique().on('obs_count_per_month_history_mv').columns(['history_id', 'date_trunc']).execute();
  await schema.createIndex('obs_count_per_month_history_mv_date_trunc_idx').on('obs_count_per_month_history_mv').column('date_trunc desc').execute();

  // The GeoServer layer; replaced in d2a6c8e4f031 once station statistics exist.
  await sql`create view ${id('crmp_network_geoserver')} as
    select n.network_name, st.native_id, h.station_name, h.lon, h.lat, h.elev,
      st.min_obs_time, st.max_obs_time, h.freq, h.tz_offset, h.province, h.station_id,
      h.history_id, h.country, h.comments, h.sensor_id, n.description, st.network_id,
      n.col_hex, cv.vars, cv.display_names
    from ${id('meta_history')} h
    join ${id('meta_station')} st on st.station_id = h.station_id
    join ${id('meta_network')} n on n.network_id = st.network_id
    left join ${id('collapsed_vars_mv')} cv on cv.history_id = h.history_id`.execute(ctx.db);
  await sql`comment on view ${id('crmp_network_geoserver')} is ${sql.lit('Stations with their network and variables, for the GeoServer map layers.')}`.execute(
    ctx.db,
  );

  await sql`grant select on table ${id('crmp_network_geoserver')} to public`.execute(ctx.db);
  await sql`grant select on table ${id('history_station_network')} to public`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const schema = ctx.db.schema.withSchema(ctx.schema);
  await schema.dropView('crmp_network_geoserver').execute();
  await schema.dropView('obs_count_per_month_history_mv').materialized().execute();
  await schema.dropView('collapsed_vars_mv').materialized().execute();
  await schema.dropView('vars_per_history_mv').materialized().execute();
  await schema.dropView('obs_count_per_day_history_v').execute();
  await schema.dropView('obs_with_flags').execute();
  await schema.dropView('history_station_network').execute();
}

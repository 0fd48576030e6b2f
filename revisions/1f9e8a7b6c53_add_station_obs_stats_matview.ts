/**
 * Add station observation statistics materialized view
 *
 * Revision ID: 1f9e8a7b6c53
 * Revises: c47d91e0a2f5
 * Create Date: 2024-04-02 15:05:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '1f9e8a7b6c53';
export const downRevision = 'c47d91e0a2f5';
export const message = 'Add station observation statistics materialized view';

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  await sql`create materialized view ${id('station_obs_stats_mv')} as
    select h.station_id, h.history_id, min(o.obs_time) as min_obs_time, max(o.obs_time) as max_obs_time,
      count(*) as obs_count
    from ${id('meta_history')} h
    join ${id('obs_raw')} o on o.history_id = h.history_id
    group by h.station_id, h.history_id`.execute(ctx.db);
  const schema = ctx.db.schema.withSchema(ctx.schema);
  // Unique, so that the view can be refreshed concurrently.
  await schema.createIndex('station_obs_stats_mv_idx').unique().on('station_obs_stats_mv').columns(['station_id', 'history_id']).execute();
  await schema.createIndex('station_obs_stats_mv_history_id_idx').on('station_obs_stats_mv').column('history_id').execute();
  await sql`comment on materialized view ${id('station_obs_stats_mv')} is ${sql.lit(
    'First and last observation time and observation count of each station history.',
  )}`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  await ctx.db.schema.withSchema(ctx.schema).dropView('station_obs_stats_mv').materialized().execute();
}

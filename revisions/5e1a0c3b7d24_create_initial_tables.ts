/**
 * Create initial tables
 *
 * Revision ID: 5e1a0c3b7d24
 * Revises:
 * Create Date: 2024-01-15 10:00:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '5e1a0c3b7d24';
export const downRevision = null;
export const message = 'Create initial tables';

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const schema = ctx.db.schema.withSchema(ctx.schema);

  await sql`create sequence ${sql.id(ctx.schema, 'obs_raw_id_seq')} as bigint`.execute(ctx.db);

  await schema
    .createTable('meta_contact')
    .addColumn('contact_id', 'serial', (c) => c.notNull())
    .addColumn('name', 'varchar')
    .addColumn('title', 'varchar')
    .addColumn('organization', 'varchar')
    .addColumn('email', 'varchar')
    .addColumn('phone', 'varchar')
    .addPrimaryKeyConstraint('meta_contact_pkey', ['contact_id'])
    .execute();

  await schema
    .createTable('meta_network')
    .addColumn('network_id', 'serial', (c) => c.notNull())
    .addColumn('network_name', 'varchar')
    .addColumn('description', 'varchar')
    .addColumn('virtual', 'varchar(255)')
    .addColumn('publish', 'boolean')
    .addColumn('col_hex', 'varchar')
    .addColumn('contact_id', 'integer')
    .addPrimaryKeyConstraint('meta_network_pkey', ['network_id'])
    .addCheckConstraint('meta_network_col_hex_check', sql`col_hex ~ '^#[0-9A-Fa-f]{6}$'`)
    .addForeignKeyConstraint('meta_network_contact_id_fkey', ['contact_id'], 'meta_contact', ['contact_id'], (fk) => fk.onDelete('set null'))
    .execute();

  await schema
    .createTable('meta_station')
    .addColumn('station_id', 'serial', (c) => c.notNull())
    .addColumn('native_id', 'varchar')
    .addColumn('network_id', 'integer')
    .addColumn('min_obs_time', 'timestamp')
    .addColumn('max_obs_time', 'timestamp')
    .addPrimaryKeyConstraint('meta_station_pkey', ['station_id'])
    .addForeignKeyConstraint('meta_station_network_id_fkey', ['network_id'], 'meta_network', ['network_id'])
    .execute();

  await schema
    .createTable('meta_sensor')
    .addColumn('sensor_id', 'serial', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addPrimaryKeyConstraint('meta_sensor_pkey', ['sensor_id'])
    .execute();

  await schema
    .createTable('meta_history')
    .addColumn('history_id', 'serial', (c) => c.notNull())
    .addColumn('station_id', 'integer')
    .addColumn('station_name', 'varchar')
    .addColumn('lon', 'numeric')
    .addColumn('lat', 'numeric')
    .addColumn('elev', 'double precision')
    .addColumn('sdate', 'date')
    .addColumn('edate', 'date')
    .addColumn('tz_offset', sql`interval`)
    .addColumn('province', 'varchar')
    .addColumn('country', 'varchar')
    .addColumn('comments', 'varchar(255)')
    .addColumn('freq', 'varchar')
    .addColumn('sensor_id', 'integer')
    .addPrimaryKeyConstraint('meta_history_pkey', ['history_id'])
    .addCheckConstraint('meta_history_lon_check', sql`lon >= -180 and lon <= 180`)
    .addCheckConstraint('meta_history_lat_check', sql`lat >= -90 and lat <= 90`)
    .addForeignKeyConstraint('meta_history_station_id_fkey', ['station_id'], 'meta_station', ['station_id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('meta_history_sensor_id_fkey', ['sensor_id'], 'meta_sensor', ['sensor_id'])
    .execute();

  await schema
    .createTable('meta_vars')
    .addColumn('vars_id', 'serial', (c) => c.notNull())
    .addColumn('net_var_name', 'varchar', (c) => c.notNull())
    .addColumn('unit', 'varchar')
    .addColumn('standard_name', 'varchar', (c) => c.notNull())
    .addColumn('cell_method', 'varchar', (c) => c.notNull())
    .addColumn('precision', 'double precision')
    .addColumn('long_description', 'varchar')
    .addColumn('display_name', 'varchar')
    .addColumn('short_name', 'varchar')
    .addColumn('network_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('meta_vars_pkey', ['vars_id'])
    .addUniqueConstraint('meta_vars_network_id_net_var_name_key', ['network_id', 'net_var_name'])
    .addCheckConstraint('meta_vars_net_var_name_check', sql`net_var_name ~ '^[a-zA-Z_][a-zA-Z0-9_]*$'`)
    .addForeignKeyConstraint('meta_vars_network_id_fkey', ['network_id'], 'meta_network', ['network_id'])
    .execute();

  await schema
    .createTable('meta_native_flag')
    .addColumn('native_flag_id', 'serial', (c) => c.notNull())
    .addColumn('flag_name', 'varchar')
    .addColumn('description', 'varchar')
    .addColumn('network_id', 'integer')
    .addColumn('value', 'varchar')
    .addColumn('discard', 'boolean')
    .addPrimaryKeyConstraint('meta_native_flag_pkey', ['native_flag_id'])
    .addUniqueConstraint('meta_native_flag_unique', ['network_id', 'value'])
    .addForeignKeyConstraint('meta_native_flag_network_id_fkey', ['network_id'], 'meta_network', ['network_id'])
    .execute();

  await schema
    .createTable('meta_pcic_flag')
    .addColumn('pcic_flag_id', 'serial', (c) => c.notNull())
    .addColumn('flag_name', 'varchar')
    .addColumn('description', 'varchar')
    .addColumn('discard', 'boolean')
    .addPrimaryKeyConstraint('meta_pcic_flag_pkey', ['pcic_flag_id'])
    .execute();

  await schema
    .createTable('meta_climo_attrs')
    .addColumn('vars_id', 'integer', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('wmo_code', 'char(1)')
    .addColumn('adjusted', 'boolean')
    .addPrimaryKeyConstraint('meta_climo_attrs_pkey', ['vars_id', 'station_id', 'month'])
    .addCheckConstraint('meta_climo_attrs_month_check', sql`month >= 1 and month <= 12`)
    .addForeignKeyConstraint('meta_climo_attrs_vars_id_fkey', ['vars_id'], 'meta_vars', ['vars_id'])
    .addForeignKeyConstraint('meta_climo_attrs_station_id_fkey', ['station_id'], 'meta_station', ['station_id'])
    .execute();

  const obsRawIdSeq = sql.lit(`${quoted(ctx.schema)}.${quoted('obs_raw_id_seq')}`);
  await schema
    .createTable('obs_raw')
    .addColumn('obs_raw_id', 'bigint', (c) => c.notNull().defaultTo(sql`nextval(${obsRawIdSeq}::regclass)`))
    .addColumn('obs_time', 'timestamp', (c) => c.notNull())
    .addColumn('mod_time', 'timestamp', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('datum', 'double precision')
    .addColumn('vars_id', 'integer', (c) => c.notNull())
    .addColumn('history_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('obs_raw_pkey', ['obs_raw_id'])
    .addUniqueConstraint('time_place_variable_unique', ['obs_time', 'history_id', 'vars_id'])
    .addForeignKeyConstraint('obs_raw_vars_id_fkey', ['vars_id'], 'meta_vars', ['vars_id'])
    .addForeignKeyConstraint('obs_raw_history_id_fkey', ['history_id'], 'meta_history', ['history_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await schema
    .createTable('obs_raw_native_flags')
    .addColumn('obs_raw_id', 'bigint', (c) => c.notNull())
    .addColumn('native_flag_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('obs_raw_native_flags_pkey', ['obs_raw_id', 'native_flag_id'])
    .addForeignKeyConstraint('obs_raw_native_flags_obs_raw_id_fkey', ['obs_raw_id'], 'obs_raw', ['obs_raw_id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('obs_raw_native_flags_native_flag_id_fkey', ['native_flag_id'], 'meta_native_flag', ['native_flag_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();

  await schema
    .createTable('obs_raw_pcic_flags')
    .addColumn('obs_raw_id', 'bigint', (c) => c.notNull())
    .addColumn('pcic_flag_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('obs_raw_pcic_flags_pkey', ['obs_raw_id', 'pcic_flag_id'])
    .addForeignKeyConstraint('obs_raw_pcic_flags_obs_raw_id_fkey', ['obs_raw_id'], 'obs_raw', ['obs_raw_id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('obs_raw_pcic_flags_pcic_flag_id_fkey', ['pcic_flag_id'], 'meta_pcic_flag', ['pcic_flag_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await schema
    .createTable('obs_derived_values')
    .addColumn('obs_derived_value_id', 'serial', (c) => c.notNull())
    .addColumn('value_time', 'timestamp', (c) => c.notNull())
    .addColumn('mod_time', 'timestamp', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('datum', 'double precision')
    .addColumn('vars_id', 'integer', (c) => c.notNull())
    .addColumn('history_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('obs_derived_values_pkey', ['obs_derived_value_id'])
    .addUniqueConstraint('obs_derived_value_time_place_variable_unique', ['value_time', 'history_id', 'vars_id'])
    .addForeignKeyConstraint('obs_derived_values_vars_id_fkey', ['vars_id'], 'meta_vars', ['vars_id'])
    .addForeignKeyConstraint('obs_derived_values_history_id_fkey', ['history_id'], 'meta_history', ['history_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await schema
    .createTable('time_bounds')
    .addColumn('obs_raw_id', 'bigint', (c) => c.notNull())
    .addColumn('start', 'timestamp')
    .addColumn('end', 'timestamp')
    .addPrimaryKeyConstraint('time_bounds_pkey', ['obs_raw_id'])
    .addCheckConstraint('time_bounds_check', sql`start <= "end"`)
    .addForeignKeyConstraint('time_bounds_obs_raw_id_fkey', ['obs_raw_id'], 'obs_raw', ['obs_raw_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await schema.createIndex('meta_station_network_id_idx').on('meta_station').column('network_id').execute();
  await schema.createIndex('meta_history_station_id_idx').on('meta_history').column('station_id').execute();
  await sql`create index ${sql.id('meta_history_current_idx')} on ${sql.id(ctx.schema, 'meta_history')} (station_id) where edate is null`.execute(ctx.db);
  await sql`create index ${sql.id('meta_history_province_idx')} on ${sql.id(ctx.schema, 'meta_history')} (lower(province))`.execute(ctx.db);
  await schema.createIndex('obs_raw_history_id_idx').on('obs_raw').column('history_id').execute();
  await schema.createIndex('obs_raw_vars_id_idx').on('obs_raw').column('vars_id').execute();
  await schema.createIndex('obs_raw_native_flags_native_flag_id_idx').on('obs_raw_native_flags').column('native_flag_id').execute();
  await schema.createIndex('obs_raw_pcic_flags_pcic_flag_id_idx').on('obs_raw_pcic_flags').column('pcic_flag_id').execute();

  const comments: Array<[string, string]> = [
    ['meta_network', 'Observing networks: each station belongs to one.'],
    ['meta_history', "One period of a station's location and instrumentation."],
    ['obs_raw', 'Raw observations: one value of one variable at one time and place.'],
  ];
  for (const [table, text] of comments) {
    await sql`comment on table ${sql.id(ctx.schema, table)} is ${sql.lit(text)}`.execute(ctx.db);
  }
  await sql`comment on column ${sql.id(ctx.schema, 'meta_history', 'freq')} is ${sql.lit('Observation frequency: 1-hourly, 12-hourly, daily, ...')}`.execute(
    ctx.db,
  );
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const schema = ctx.db.schema.withSchema(ctx.schema);
  for (const table of [
    'time_bounds',
    'obs_derived_values',
    'obs_raw_pcic_flags',
    'obs_raw_native_flags',
    'obs_raw',
    'meta_climo_attrs',
    'meta_pcic_flag',
    'meta_native_flag',
    'meta_vars',
    'meta_history',
    'meta_sensor',
    'meta_station',
    'meta_network',
    'meta_contact',
  ]) {
    await schema.dropTable(table).execute();
  }
  await ctx.sql`drop sequence ${ctx.sql.id(ctx.schema, 'obs_raw_id_seq')}`.execute(ctx.db);
}

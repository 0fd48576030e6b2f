/**
 * Add climatological normals
 *
 * Revision ID: a93c5f17e6b2
 * Revises: 70b4e2c9a18d
 * Create Date: 2024-06-20 09:45:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = 'a93c5f17e6b2';
export const downRevision = '70b4e2c9a18d';
export const message = 'Add climatological normals';

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const schema = ctx.db.schema.withSchema(ctx.schema);

  await schema.createType('climo_station_type').asEnum(['long-record', 'composite', 'prism']).execute();
  await sql`comment on type ${sql.id(ctx.schema, 'climo_station_type')} is ${sql.lit('How a climatological station was assembled.')}`.execute(ctx.db);

  await schema
    .createTable('climo_period')
    .addColumn('climo_period_id', 'integer', (c) => c.generatedAlwaysAsIdentity())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    .addColumn('mod_time', 'timestamp', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('climo_period_pkey', ['climo_period_id'])
    .addUniqueConstraint('climo_period_start_date_end_date_key', ['start_date', 'end_date'])
    .addCheckConstraint('climo_period_check', sql`start_date < end_date`)
    .execute();

  await schema
    .createTable('climo_station')
    .addColumn('climo_station_id', 'integer', (c) => c.generatedByDefaultAsIdentity())
    .addColumn('type', sql`${sql.id(ctx.schema, 'climo_station_type')}`, (c) => c.notNull())
    .addColumn('basin_id', 'integer')
    .addColumn('comments', 'varchar')
    .addColumn('climo_period_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('climo_station_pkey', ['climo_station_id'])
    .addForeignKeyConstraint('climo_station_climo_period_id_fkey', ['climo_period_id'], 'climo_period', ['climo_period_id'])
    .execute();
  await schema.createIndex('climo_station_climo_period_id_idx').on('climo_station').column('climo_period_id').execute();

  await schema
    .createTable('climo_station_x_meta_history')
    .addColumn('climo_station_id', 'integer', (c) => c.notNull())
    .addColumn('history_id', 'integer', (c) => c.notNull())
    .addColumn('role', 'varchar', (c) => c.notNull().defaultTo('base'))
    .addPrimaryKeyConstraint('climo_station_x_meta_history_pkey', ['climo_station_id', 'history_id'])
    .addCheckConstraint('climo_station_x_meta_history_role_check', sql`role in ('base', 'joint')`)
    .addForeignKeyConstraint('climo_station_x_meta_history_climo_station_id_fkey', ['climo_station_id'], 'climo_station', ['climo_station_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('climo_station_x_meta_history_history_id_fkey', ['history_id'], 'meta_history', ['history_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await schema
    .createTable('climo_value')
    .addColumn('climo_value_id', 'bigint', (c) => c.generatedByDefaultAsIdentity())
    .addColumn('value_time', 'timestamp', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('num_contributing_years', 'integer', (c) => c.notNull())
    .addColumn('vars_id', 'integer', (c) => c.notNull())
    .addColumn('climo_station_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('climo_value_pkey', ['climo_value_id'])
    .addUniqueConstraint('climo_value_unique', ['value_time', 'vars_id', 'climo_station_id'])
    .addForeignKeyConstraint('climo_value_vars_id_fkey', ['vars_id'], 'meta_vars', ['vars_id'])
    .addForeignKeyConstraint('climo_value_climo_station_id_fkey', ['climo_station_id'], 'climo_station', ['climo_station_id'], (fk) => fk.onDelete('cascade'))
    .execute();
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const schema = ctx.db.schema.withSchema(ctx.schema);
  await schema.dropTable('climo_value').execute();
  await schema.dropTable('climo_station_x_meta_history').execute();
  await schema.dropTable('climo_station').execute();
  await schema.dropTable('climo_period').execute();
  await schema.dropType('climo_station_type').execute();
}

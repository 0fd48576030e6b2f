import { sql } from 'kysely';
import { bigint, date, doublePrecision, enumColumn, enumType, integer, table, timestamp, varchar } from '../model';

// Climatological normals: a period, the (possibly composite) station they are
// computed for, the station histories it is made of, and the values.

export const climoStationType = enumType('climo_station_type', ['long-record', 'composite', 'prism'], {
  comment: 'How a climatological station was assembled.',
});

export const climoPeriod = table('climo_period', {
  climo_period_id: integer().generatedAlwaysAsIdentity().primaryKey(),
  start_date: date().notNull(),
  end_date: date().notNull(),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
})
  .unique(['start_date', 'end_date'])
  .check('climo_period_check', sql`start_date < end_date`);

export const climoStation = table('climo_station', {
  climo_station_id: integer().generatedByDefaultAsIdentity().primaryKey(),
  type: enumColumn(climoStationType).notNull(),
  basin_id: integer(),
  comments: varchar(),
  climo_period_id: integer().notNull().references('climo_period', 'climo_period_id'),
}).index('climo_station_climo_period_id_idx', ['climo_period_id']);

export const climoStationXMetaHistory = table('climo_station_x_meta_history', {
  climo_station_id: integer().notNull().references('climo_station', 'climo_station_id', { onDelete: 'cascade' }),
  history_id: integer().notNull().references('meta_history', 'history_id', { onDelete: 'cascade' }),
  role: varchar()
    .notNull()
    .defaultTo(sql`'base'`)
    .check(sql`role in ('base', 'joint')`),
}).primaryKey(['climo_station_id', 'history_id']);

export const climoValue = table('climo_value', {
  climo_value_id: bigint().generatedByDefaultAsIdentity().primaryKey(),
  value_time: timestamp().notNull(),
  value: doublePrecision().notNull(),
  num_contributing_years: integer().notNull(),
  vars_id: integer().notNull().references('meta_vars', 'vars_id'),
  climo_station_id: integer().notNull().references('climo_station', 'climo_station_id', { onDelete: 'cascade' }),
}).unique(['value_time', 'vars_id', 'climo_station_id'], 'climo_value_unique');

import { sql } from 'kysely';
import { boolean, char, doublePrecision, integer, interval, numeric, serial, table, timestamp, varchar, date } from '../model';

// Metadata tables of the CRMP schema: who observes (networks, contacts), where
// (stations and their histories), what (variables) and how it is flagged.

export const metaContact = table('meta_contact', {
  contact_id: serial().primaryKey(),
  name: varchar(),
  title: varchar(),
  organization: varchar(),
  email: varchar(),
  phone: varchar(),
});

export const metaNetwork = table('meta_network', {
  network_id: serial().primaryKey(),
  network_name: varchar(),
  description: varchar(),
  virtual: varchar(255),
  publish: boolean(),
  color: varchar().check(sql`color ~ '^#[0-9A-Fa-f]{6}$'`),
  contact_id: integer().references('meta_contact', 'contact_id', { onDelete: 'set null' }),
}).comment('Observing networks: each station belongs to one.');

export const metaStation = table('meta_station', {
  station_id: serial().primaryKey(),
  native_id: varchar(),
  network_id: integer().references('meta_network', 'network_id'),
  min_obs_time: timestamp(),
  max_obs_time: timestamp(),
  publish: boolean()
    .notNull()
    .defaultTo(sql`true`),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
}).index('meta_station_network_id_idx', ['network_id']);

export const metaSensor = table('meta_sensor', {
  sensor_id: serial().primaryKey(),
  name: varchar(255),
});

export const metaHistory = table('meta_history', {
  history_id: serial().primaryKey(),
  station_id: integer().references('meta_station', 'station_id', { onDelete: 'cascade' }),
  station_name: varchar(),
  lon: numeric().check(sql`lon >= -180 and lon <= 180`),
  lat: numeric().check(sql`lat >= -90 and lat <= 90`),
  elev: doublePrecision(),
  sdate: date(),
  edate: date(),
  tz_offset: interval(),
  province: varchar(),
  country: varchar(),
  comments: varchar(255),
  freq: varchar().comment('Observation frequency: 1-hourly, 12-hourly, daily, ...'),
  sensor_id: integer().references('meta_sensor', 'sensor_id'),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
})
  .index('meta_history_station_id_idx', ['station_id'])
  .index('meta_history_current_idx', ['station_id'], { where: sql`edate is null` })
  .index('meta_history_province_idx', [{ expression: sql`lower(province)` }])
  .comment("One period of a station's location and instrumentation.");

export const metaVars = table('meta_vars', {
  vars_id: serial().primaryKey(),
  net_var_name: varchar()
    .notNull()
    .check(sql`net_var_name ~ '^[a-zA-Z_][a-zA-Z0-9_]*$'`),
  unit: varchar(),
  standard_name: varchar().notNull(),
  cell_method: varchar().notNull(),
  precision: doublePrecision(),
  long_description: varchar(),
  display_name: varchar(),
  short_name: varchar(),
  network_id: integer().notNull().references('meta_network', 'network_id'),
}).unique(['network_id', 'net_var_name']);

export const metaNativeFlag = table('meta_native_flag', {
  native_flag_id: serial().primaryKey(),
  flag_name: varchar(),
  description: varchar(),
  network_id: integer().references('meta_network', 'network_id'),
  value: varchar(),
  discard: boolean(),
}).unique(['network_id', 'value'], 'meta_native_flag_unique');

export const metaPcicFlag = table('meta_pcic_flag', {
  pcic_flag_id: serial().primaryKey(),
  flag_name: varchar(),
  description: varchar(),
  discard: boolean(),
});

export const metaClimoAttrs = table('meta_climo_attrs', {
  vars_id: integer().notNull().references('meta_vars', 'vars_id'),
  station_id: integer().notNull().references('meta_station', 'station_id'),
  month: integer()
    .notNull()
    .check(sql`month >= 1 and month <= 12`),
  wmo_code: char(1),
  adjusted: boolean(),
}).primaryKey(['vars_id', 'station_id', 'month']);

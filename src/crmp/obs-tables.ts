import { sql } from 'kysely';
import { bigint, doublePrecision, integer, sequence, serial, table, timestamp } from '../model';

// Observation tables: obs_raw is the large one; flags attach to it through link tables.

/** Ids of obs_raw, a standalone sequence (not owned: loaders draw from it in bulk). */
export const obsRawIdSeq = sequence('obs_raw_id_seq', { as: 'bigint' });

export const obsRaw = table('obs_raw', {
  obs_raw_id: bigint()
    .primaryKey()
    .defaultTo((s) => sql`nextval(${s.regclass('obs_raw_id_seq')})`),
  obs_time: timestamp().notNull(),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
  datum: doublePrecision(),
  vars_id: integer().notNull().references('meta_vars', 'vars_id'),
  history_id: integer().notNull().references('meta_history', 'history_id', { onDelete: 'cascade' }),
})
  .unique(['obs_time', 'history_id', 'vars_id'], 'time_place_variable_unique')
  .index('obs_raw_history_id_idx', ['history_id'])
  .index('obs_raw_vars_id_idx', ['vars_id'])
  .index('obs_raw_mod_time_idx', ['mod_time'])
  .comment('Raw observations: one value of one variable at one time and place.');

export const obsRawNativeFlags = table('obs_raw_native_flags', {
  obs_raw_id: bigint().notNull().references('obs_raw', 'obs_raw_id', { onDelete: 'cascade' }),
  native_flag_id: integer().notNull().references('meta_native_flag', 'native_flag_id', { onDelete: 'cascade' }),
})
  .primaryKey(['obs_raw_id', 'native_flag_id'])
  .index('obs_raw_native_flags_native_flag_id_idx', ['native_flag_id']);

export const obsRawPcicFlags = table('obs_raw_pcic_flags', {
  obs_raw_id: bigint().notNull().references('obs_raw', 'obs_raw_id', { onDelete: 'cascade' }),
  pcic_flag_id: integer().notNull().references('meta_pcic_flag', 'pcic_flag_id', { onDelete: 'cascade' }),
})
  .primaryKey(['obs_raw_id', 'pcic_flag_id'])
  .index('obs_raw_pcic_flags_pcic_flag_id_idx', ['pcic_flag_id']);

export const obsDerivedValues = table('obs_derived_values', {
  obs_derived_value_id: serial().primaryKey(),
  value_time: timestamp().notNull(),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
  datum: doublePrecision(),
  vars_id: integer().notNull().references('meta_vars', 'vars_id'),
  history_id: integer().notNull().references('meta_history', 'history_id', { onDelete: 'cascade' }),
}).unique(['value_time', 'history_id', 'vars_id'], 'obs_derived_value_time_place_variable_unique');

export const timeBounds = table('time_bounds', {
  obs_raw_id: bigint().primaryKey().references('obs_raw', 'obs_raw_id', { onDelete: 'cascade' }),
  start: timestamp(),
  end: timestamp(),
}).check('time_bounds_check', sql`start <= "end"`);

/**
 * Keep mod_time of meta_station and meta_history current with contrib moddatetime
 *
 * Revision ID: 3c8d0f5b2e97
 * Revises: a93c5f17e6b2
 * Create Date: 2024-07-08 16:10:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '3c8d0f5b2e97';
export const downRevision = 'a93c5f17e6b2';
export const message = 'Keep mod_time of meta_station and meta_history current with contrib moddatetime';

// A C-language function needs a superuser: it runs under asSuperuser and is owned
// by the privileged role. `create extension moddatetime` would be per database,
// not per schema, so the schema gets its own function over the same library.

const TABLES = ['meta_station', 'meta_history'] as const;

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  for (const table of TABLES) {
    await ctx.db.schema
      .withSchema(ctx.schema)
      .alterTable(table)
      .addColumn('mod_time', 'timestamp', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  }
  await ctx.asSuperuser(async (db) => {
    await sql`create function ${id('moddatetime_wrapper')}() returns trigger language c volatile as '$libdir/moddatetime', 'moddatetime'`.execute(db);
    await sql`comment on function ${id('moddatetime_wrapper')}() is ${sql.lit(
      'Sets the column named by the trigger argument to the current time (contrib moddatetime).',
    )}`.execute(db);
  });
  for (const table of TABLES) {
    await sql`create trigger ${sql.id(`${table}_mod_time`)} before update on ${id(table)}
for each row execute function ${id('moddatetime_wrapper')}('mod_time')`.execute(ctx.db);
  }
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  const id = (name: string) => sql.id(ctx.schema, name);
  for (const table of TABLES) {
    await sql`drop trigger ${sql.id(`${table}_mod_time`)} on ${id(table)}`.execute(ctx.db);
  }
  await ctx.asSuperuser((db) => sql`drop function ${id('moddatetime_wrapper')}()`.execute(db));
  for (const table of TABLES) {
    await ctx.db.schema.withSchema(ctx.schema).alterTable(table).dropColumn('mod_time').execute();
  }
}

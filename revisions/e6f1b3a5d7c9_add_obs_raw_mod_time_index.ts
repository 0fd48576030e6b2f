/**
 * Index obs_raw.mod_time, concurrently
 *
 * Revision ID: e6f1b3a5d7c9
 * Revises: 3c8d0f5b2e97
 * Create Date: 2024-08-26 08:30:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = 'e6f1b3a5d7c9';
export const downRevision = '3c8d0f5b2e97';
export const message = 'Index obs_raw.mod_time, concurrently';

// obs_raw is the large table: build without blocking writers, which cannot run in a transaction.
export const transactional = false;

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  await sql`create index concurrently ${sql.id('obs_raw_mod_time_idx')} on ${sql.id(ctx.schema, 'obs_raw')} (mod_time)`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  const { sql } = ctx;
  await sql`drop index concurrently ${sql.id(ctx.schema, 'obs_raw_mod_time_idx')}`.execute(ctx.db);
}

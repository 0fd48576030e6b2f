/**
 * Add publish column to meta_station
 *
 * Revision ID: 8b3f2d6a9c10
 * Revises: 9d0e6f2a8c41
 * Create Date: 2024-03-04 09:15:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = '8b3f2d6a9c10';
export const downRevision = '9d0e6f2a8c41';
export const message = 'Add publish column to meta_station';

export async function upgrade(ctx: MigrationContext): Promise<void> {
  await ctx.db.schema
    .withSchema(ctx.schema)
    .alterTable('meta_station')
    .addColumn('publish', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  await ctx.db.schema.withSchema(ctx.schema).alterTable('meta_station').dropColumn('publish').execute();
}

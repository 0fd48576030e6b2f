/**
 * Rename meta_network.col_hex to color
 *
 * Revision ID: c47d91e0a2f5
 * Revises: 8b3f2d6a9c10
 * Create Date: 2024-03-18 11:40:00
 */
import type { MigrationContext } from '../src/runtime/context';

export const revision = 'c47d91e0a2f5';
export const downRevision = '8b3f2d6a9c10';
export const message = 'Rename meta_network.col_hex to color';

// Views that read the column follow the rename by themselves (they hold the column
// by number); the check constraint keeps its old name unless renamed too.

export async function upgrade(ctx: MigrationContext): Promise<void> {
  const table = ctx.db.schema.withSchema(ctx.schema).alterTable('meta_network');
  await table.renameColumn('col_hex', 'color').execute();
  await ctx.sql`alter table ${ctx.sql.id(ctx.schema, 'meta_network')} rename constraint meta_network_col_hex_check to meta_network_color_check`.execute(ctx.db);
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  await ctx.sql`alter table ${ctx.sql.id(ctx.schema, 'meta_network')} rename constraint meta_network_color_check to meta_network_col_hex_check`.execute(ctx.db);
  await ctx.db.schema.withSchema(ctx.schema).alterTable('meta_network').renameColumn('color', 'col_hex').execute();
}

import { sql, type RawBuilder } from 'kysely';
import type { ColumnDataType } from './column';
import { isPlainTypeName } from './column';
import type { IndexNode } from './index-def';
import { resolveExpression, type SchemaScope } from './schema-scope';
import type { ForeignKeyNode, TableColumnNode, TableNode } from './table';

/** The SQL of a column type: built-in types as written, enums qualified with the schema. */
export function renderColumnType(type: ColumnDataType, s: SchemaScope): RawBuilder<unknown> {
  if (type.kind === 'enum') return s(type.name);
  if (!isPlainTypeName(type.sql)) throw new TypeError(`not a plain SQL type name: ${JSON.stringify(type.sql)}`);
  return sql.raw(type.sql);
}

function renderColumn(column: TableColumnNode, s: SchemaScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql.id(column.name), renderColumnType(column.dataType, s)];
  if (column.identity) parts.push(sql.raw(`generated ${column.identity} as identity`));
  if (column.default !== undefined) parts.push(sql`default ${resolveExpression(column.default, s)}`);
  if (!column.nullable) parts.push(sql`not null`);
  return sql.join(parts, sql` `);
}

const ids = (names: readonly string[]): RawBuilder<unknown> => sql.join(names.map((n) => sql.id(n)));

/**
 * `CREATE TABLE` with columns, primary key, unique and check constraints inline;
 * foreign keys come later ({@link renderForeignKey}) so tables may reference each other.
 *
 * @example
 * ```sql
 * create table "crmp"."meta_sensor" ("sensor_id" serial not null, "name" character varying(255),
 *   constraint "meta_sensor_pkey" primary key ("sensor_id"))
 * ```
 */
export function renderCreateTable(table: TableNode, s: SchemaScope): RawBuilder<unknown> {
  const items: RawBuilder<unknown>[] = table.columns.map((c) => renderColumn(c, s));
  if (table.primaryKey) {
    items.push(sql`constraint ${sql.id(table.primaryKey.name)} primary key (${ids(table.primaryKey.columns)})`);
  }
  for (const u of table.uniques) items.push(sql`constraint ${sql.id(u.name)} unique (${ids(u.columns)})`);
  for (const c of table.checks) items.push(sql`constraint ${sql.id(c.name)} check (${resolveExpression(c.expression, s)})`);
  return sql`create table ${s(table.name)} (${sql.join(items)})`;
}

/** `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`, with only the non-default options written. */
export function renderForeignKey(table: string, fk: ForeignKeyNode, s: SchemaScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    sql`alter table ${s(table)} add constraint ${sql.id(fk.name)} foreign key (${ids(fk.columns)}) references ${s(fk.references.table)} (${ids(fk.references.columns)})`,
  ];
  if (fk.onDelete !== 'no action') parts.push(sql.raw(`on delete ${fk.onDelete}`));
  if (fk.onUpdate !== 'no action') parts.push(sql.raw(`on update ${fk.onUpdate}`));
  if (fk.deferrable) parts.push(sql.raw(fk.initiallyDeferred ? 'deferrable initially deferred' : 'deferrable'));
  return sql.join(parts, sql` `);
}

const OPCLASS = /^[a-z_][a-z0-9_]*$/;

/**
 * `CREATE INDEX`, on a table or a materialized view.
 *
 * @example
 * ```sql
 * create index "meta_history_current_idx" on "crmp"."meta_history" using btree ("station_id") where (edate is null)
 * ```
 */
export function renderCreateIndex(index: IndexNode, s: SchemaScope): RawBuilder<unknown> {
  const elements = index.elements.map((e) => {
    const parts: RawBuilder<unknown>[] = ['column' in e ? sql.id(e.column) : sql`(${resolveExpression(e.expression, s)})`];
    if (e.opclass !== undefined) {
      if (!OPCLASS.test(e.opclass)) throw new TypeError(`index ${index.name}: bad operator class ${JSON.stringify(e.opclass)}`);
      parts.push(sql.raw(e.opclass));
    }
    if (e.order) parts.push(sql.raw(e.order));
    if (e.nulls) parts.push(sql.raw(`nulls ${e.nulls}`));
    return sql.join(parts, sql` `);
  });
  const parts: RawBuilder<unknown>[] = [
    sql`create ${sql.raw(index.unique ? 'unique index' : 'index')} ${sql.id(index.name)} on ${s(index.on)} using ${sql.raw(index.using ?? 'btree')} (${sql.join(elements)})`,
  ];
  if (index.include && index.include.length > 0) parts.push(sql`include (${ids(index.include)})`);
  if (index.where !== undefined) parts.push(sql`where (${resolveExpression(index.where, s)})`);
  return sql.join(parts, sql` `);
}

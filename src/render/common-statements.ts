/** Statements shared by several operations: comments, grants, column definitions, options. */
import type { ObjectTarget } from '../operations/operation';
import { makeObjectName } from '../schema/generated-names';
import type { Column, Grant, Grants, Identity, SequenceOptions } from '../schema/snapshot';
import type { Fragment, Statement } from './fragments';
import { id, lit, q, role, stmt, text } from './fragments';

/** `TABLE "s"."t"`, `COLUMN "s"."t"."c"`, `CONSTRAINT "c" ON "s"."t"`, `FUNCTION "s"."f"(integer)`. */
export function targetSql(target: ObjectTarget): Fragment[] {
  switch (target.kind) {
    case 'table':
    case 'view':
    case 'materialized view':
    case 'sequence':
    case 'type':
    case 'domain':
    case 'collation':
    case 'index':
      return stmt`${target.kind.toUpperCase()} ${q(target.name)}`;
    case 'column':
      return stmt`COLUMN ${q(target.table, target.name)}`;
    case 'constraint':
    case 'trigger':
    case 'policy':
      return stmt`${target.kind.toUpperCase()} ${id(target.name)} ON ${q(target.table)}`;
    case 'function':
    case 'procedure':
      return stmt`${target.kind.toUpperCase()} ${q(target.name)}(${target.arguments})`;
  }
}

export function commentStatement(target: ObjectTarget, comment: string | null): Statement {
  return stmt`COMMENT ON ${targetSql(target)} IS ${comment === null ? text('NULL') : lit(comment)}`;
}

/** What GRANT calls the object: tables, views and columns are all `TABLE`. */
function grantObject(target: ObjectTarget): { columns: Fragment[]; on: Fragment[] } {
  switch (target.kind) {
    case 'column':
      return { columns: stmt` (${id(target.name)})`, on: stmt`TABLE ${q(target.table)}` };
    case 'view':
    case 'materialized view':
    case 'table':
      return { columns: [], on: stmt`TABLE ${q(target.name)}` };
    default:
      return { columns: [], on: targetSql(target) };
  }
}

export function grantStatement(target: ObjectTarget, grant: Grant): Statement {
  const { columns, on } = grantObject(target);
  return stmt`GRANT ${grant.privilege}${columns} ON ${on} TO ${role(grant.grantee)}${grant.grantable ? ' WITH GRANT OPTION' : ''}`;
}

export function revokeStatement(target: ObjectTarget, grant: Grant): Statement {
  const { columns, on } = grantObject(target);
  return stmt`REVOKE ${grant.privilege}${columns} ON ${on} FROM ${role(grant.grantee)}`;
}

/** `ALTER TABLE "s"."t" OWNER TO "role"` when the snapshot names an owner (null: whoever creates it). */
export function ownerStatements(target: ObjectTarget, owner: string | null): Statement[] {
  return owner === null ? [] : [stmt`ALTER ${targetSql(target)} OWNER TO ${role(owner)}`];
}

/** Statements that take a freshly created object from the default ACL to `grants`. */
export function grantsStatements(target: ObjectTarget, grants: Grants): Statement[] {
  return [...grants.revoked.map((g) => revokeStatement(target, g)), ...grants.granted.map((g) => grantStatement(target, g))];
}

function typeMaximum(dataType: string): string {
  if (dataType === 'smallint') return '32767';
  if (dataType === 'integer') return '2147483647';
  return '9223372036854775807';
}

/** Sequence options that differ from what `CREATE SEQUENCE` (or an identity) would pick. */
export function sequenceOptionsSql(options: SequenceOptions, explicitType: boolean): string[] {
  const ascending = !options.increment.startsWith('-');
  const max = typeMaximum(options.dataType);
  const defaultMin = ascending ? '1' : '-' + max;
  const defaultMax = ascending ? max : '-1';
  const parts: string[] = [];
  if (explicitType && options.dataType !== 'bigint') parts.push(`AS ${options.dataType}`);
  if (options.increment !== '1') parts.push(`INCREMENT BY ${options.increment}`);
  if (options.minValue !== defaultMin) parts.push(`MINVALUE ${options.minValue}`);
  if (options.maxValue !== defaultMax) parts.push(`MAXVALUE ${options.maxValue}`);
  if (options.start !== (ascending ? options.minValue : options.maxValue)) parts.push(`START WITH ${options.start}`);
  if (options.cache !== '1') parts.push(`CACHE ${options.cache}`);
  if (options.cycle) parts.push('CYCLE');
  return parts;
}

/** `GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME ... INCREMENT BY 2)` for a column of `table`. */
export function identitySql(table: string, column: string, identity: Identity): Fragment[] {
  const options: Fragment[] = [];
  if (identity.sequenceName !== makeObjectName(table, column, 'seq')) options.push(...stmt`SEQUENCE NAME ${q(identity.sequenceName)}`);
  for (const o of sequenceOptionsSql(identity, false)) {
    if (options.length > 0) options.push(text(' '));
    options.push(text(o));
  }
  const head = `GENERATED ${identity.generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  return options.length === 0 ? stmt`${head}` : stmt`${head} (${options})`;
}

/** A column definition as in CREATE TABLE / ADD COLUMN. */
export function columnSql(table: string, column: Column): Fragment[] {
  const parts: Fragment[] = stmt`${id(column.name)} ${column.type}`;
  if (column.collation !== null) parts.push(...stmt` COLLATE ${column.collation}`);
  if (column.generated !== null) parts.push(...stmt` GENERATED ALWAYS AS (${column.generated}) STORED`);
  if (column.identity !== null) parts.push(...stmt` ${identitySql(table, column.name, column.identity)}`);
  if (column.notNull) parts.push(text(' NOT NULL'));
  if (column.default !== null) parts.push(...stmt` DEFAULT ${column.default}`);
  return parts;
}

/** Comments and grants of a column that was just created. */
export function columnExtras(table: string, column: Column): Statement[] {
  const target: ObjectTarget = { kind: 'column', table, name: column.name };
  return [...(column.comment !== null ? [commentStatement(target, column.comment)] : []), ...grantsStatements(target, column.grants)];
}

/** `k=v` reloptions split into key and value. */
export function optionKey(option: string): string {
  const at = option.indexOf('=');
  return at < 0 ? option : option.slice(0, at);
}

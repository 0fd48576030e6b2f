/** Statements for tables and what hangs off them: columns, constraints, indexes, sequences. */
import type { OperationOf } from '../operations/operation';
import { automaticNames } from '../schema/generated-names';
import type { Constraint, Index, ReplicaIdentity, Sequence, SequenceOptions, Table } from '../schema/snapshot';
import { conversion } from '../schema/type-casts';
import { columnExtras, columnSql, commentStatement, grantsStatements, identitySql, optionKey, ownerStatements, sequenceOptionsSql } from './common-statements';
import type { Fragment, Statement } from './fragments';
import { id, join, q, ref, stmt } from './fragments';

function parentRef(op: { readonly parent: string; readonly parentSchema?: string }): Fragment {
  return ref({ schema: op.parentSchema ?? null, name: op.parent });
}

export function replicaIdentityStatement(table: string, identity: ReplicaIdentity): Statement {
  const how = typeof identity === 'string' ? identity.toUpperCase() : stmt`USING INDEX ${id(identity.index)}`;
  return stmt`ALTER TABLE ${q(table)} REPLICA IDENTITY ${how}`;
}

/**
 * Renames, after PostgreSQL made them, the indexes and constraints a new partition holds for
 * its parent whose names in the target are not the ones PostgreSQL picks (the ambiguous ones
 * are left as PostgreSQL names them: the diff notes it).
 */
export function attachedRenames(table: Table): Statement[] {
  const out: Statement[] = [];
  for (const { item, auto, ambiguous } of automaticNames(table)) {
    if (ambiguous || auto === item.name) continue;
    out.push(
      'kind' in item
        ? stmt`ALTER TABLE ${q(table.name)} RENAME CONSTRAINT ${id(auto)} TO ${id(item.name)}`
        : stmt`ALTER INDEX ${q(auto)} RENAME TO ${id(item.name)}`,
    );
  }
  return out;
}

/** Constraints PostgreSQL accepts inside CREATE TABLE (NOT VALID ones must be added afterwards). */
function inline(constraint: Constraint): boolean {
  return !constraint.definition.endsWith(' NOT VALID');
}

/** Columns a CREATE TABLE spells out: inherited-only columns come from the parent. */
export function ownColumns(table: Table) {
  return table.columns.filter((c) => (table.partitionOf ? !c.inherited : !c.inherited || c.local));
}

/** The constraints a CREATE TABLE statement can hold. */
export function inlineConstraints(table: Table): Constraint[] {
  return table.partitionOf ? [] : table.constraints.filter(inline);
}

/** The CREATE TABLE statement itself, with `inlined` constraints. */
export function createTableStatement(table: Table, inlined: readonly Constraint[]): Statement {
  const head = table.persistence === 'unlogged' ? 'CREATE UNLOGGED TABLE' : 'CREATE TABLE';
  const elements: Fragment[][] = ownColumns(table).map((c) => columnSql(table.name, c));
  for (const c of inlined) elements.push(stmt`CONSTRAINT ${id(c.name)} ${c.definition}`);
  const body = stmt`(\n    ${join(elements, ',\n    ')}\n)`;
  return table.partitionOf
    ? stmt`${head} ${q(table.name)} PARTITION OF ${ref(table.partitionOf.parent)} ${table.partitionOf.bound}${tableSuffix(table)}`
    : stmt`${head} ${q(table.name)} ${elements.length === 0 ? '()' : body}${tableSuffix(table)}`;
}

/** INHERITS, PARTITION BY and WITH clauses after the column list. */
export function tableSuffix(table: Table): Fragment[] {
  const tail: Fragment[] = [];
  if (table.inherits.length > 0)
    tail.push(
      ...stmt` INHERITS (${join(
        table.inherits.map((p) => [ref(p)]),
        ', ',
      )})`,
    );
  if (table.partitionKey !== null) tail.push(...stmt` PARTITION BY ${table.partitionKey}`);
  if (table.options.length > 0) tail.push(...stmt` WITH (${table.options.join(', ')})`);
  return tail;
}

/**
 * What follows CREATE TABLE: other constraints, indexes, row security, comments, grants. A
 * partition's indexes and constraints for its parent come with PARTITION OF: only their
 * names and comments are set.
 */
export function createTableExtras(table: Table, inlined: readonly Constraint[]): Statement[] {
  const out: Statement[] = [...ownerStatements({ kind: 'table', name: table.name }, table.owner), ...attachedRenames(table)];
  for (const c of table.constraints) {
    if (inlined.includes(c) || c.attachedTo !== null) {
      if (c.comment !== null) out.push(commentStatement({ kind: 'constraint', table: table.name, name: c.name }, c.comment));
    } else out.push(...addConstraintStatements(table.name, c));
  }
  for (const i of table.indexes) {
    if (i.attachedTo === null) out.push(...createIndexStatements(table.name, i));
    else if (i.comment !== null) out.push(commentStatement({ kind: 'index', name: i.name }, i.comment));
  }
  if (table.replicaIdentity !== 'default') out.push(replicaIdentityStatement(table.name, table.replicaIdentity));
  if (table.rowSecurity) out.push(stmt`ALTER TABLE ${q(table.name)} ENABLE ROW LEVEL SECURITY`);
  if (table.forceRowSecurity) out.push(stmt`ALTER TABLE ${q(table.name)} FORCE ROW LEVEL SECURITY`);
  if (table.comment !== null) out.push(commentStatement({ kind: 'table', name: table.name }, table.comment));
  for (const c of table.columns) out.push(...columnExtras(table.name, c));
  out.push(...grantsStatements({ kind: 'table', name: table.name }, table.grants));
  return out;
}

export function createTableStatements(table: Table): Statement[] {
  const inlined = inlineConstraints(table);
  return [createTableStatement(table, inlined), ...createTableExtras(table, inlined)];
}

export function addConstraintStatements(table: string, constraint: Constraint): Statement[] {
  const out: Statement[] = [stmt`ALTER TABLE ${q(table)} ADD CONSTRAINT ${id(constraint.name)} ${constraint.definition}`];
  if (constraint.comment !== null) out.push(commentStatement({ kind: 'constraint', table, name: constraint.name }, constraint.comment));
  return out;
}

export function createIndexStatements(table: string, index: Index): Statement[] {
  const out: Statement[] = [stmt`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${id(index.name)} ON ${q(table)} USING ${index.definition}`];
  if (index.comment !== null) out.push(commentStatement({ kind: 'index', name: index.name }, index.comment));
  return out;
}

export function createSequenceStatements(sequence: Sequence): Statement[] {
  const options = sequenceOptionsSql(sequence, true);
  const out: Statement[] = [
    stmt`CREATE SEQUENCE ${q(sequence.name)}${options.length > 0 ? ' ' + options.join(' ') : ''}`,
    ...ownerStatements({ kind: 'sequence', name: sequence.name }, sequence.owner),
  ];
  if (sequence.comment !== null) out.push(commentStatement({ kind: 'sequence', name: sequence.name }, sequence.comment));
  out.push(...grantsStatements({ kind: 'sequence', name: sequence.name }, sequence.grants));
  return out;
}

/** The clauses of ALTER SEQUENCE / ALTER COLUMN ... SET that turn `from` into `to`. */
export function sequenceChanges(from: SequenceOptions, to: SequenceOptions, keyword: '' | 'SET '): string[] {
  const parts: string[] = [];
  if (keyword === '' && from.dataType !== to.dataType) parts.push(`AS ${to.dataType}`);
  if (from.increment !== to.increment) parts.push(`${keyword}INCREMENT BY ${to.increment}`);
  if (from.minValue !== to.minValue) parts.push(`${keyword}MINVALUE ${to.minValue}`);
  if (from.maxValue !== to.maxValue) parts.push(`${keyword}MAXVALUE ${to.maxValue}`);
  if (from.start !== to.start) parts.push(`${keyword}START WITH ${to.start}`);
  if (from.cache !== to.cache) parts.push(`${keyword}CACHE ${to.cache}`);
  if (from.cycle !== to.cycle) parts.push(`${keyword}${to.cycle ? 'CYCLE' : 'NO CYCLE'}`);
  return parts;
}

/**
 * Statements that bring a sequence's current value inside its new bounds before
 * `ALTER SEQUENCE`, which refuses bounds that exclude the current value ("RESTART value (1)
 * cannot be less than MINVALUE (10)"). A value the sequence would still have to reach is
 * skipped forward to the new first value; one past the far end is only taken back when the
 * sequence never gave it (`is_called` false), and otherwise left at the new end.
 */
export function sequenceBoundStatements(sequence: string, from: SequenceOptions, to: SequenceOptions): Statement[] {
  const out: Statement[] = [];
  const set = (value: string, called: boolean, where: string) =>
    stmt`SELECT setval(tableoid::regclass, ${value}, ${called ? 'true' : 'false'}) FROM ${q(sequence)} WHERE ${where}`;
  const ascending = !to.increment.startsWith('-');
  const near = ascending ? { from: from.minValue, to: to.minValue } : { from: from.maxValue, to: to.maxValue };
  const far = ascending ? { from: from.maxValue, to: to.maxValue } : { from: from.minValue, to: to.minValue };
  const before = (a: string, b: string) => (ascending ? BigInt(a) < BigInt(b) : BigInt(a) > BigInt(b));
  const lt = ascending ? '<' : '>';
  const gt = ascending ? '>' : '<';
  if (before(near.from, near.to)) out.push(set(near.to, false, `last_value ${lt} ${near.to}`));
  if (before(far.to, far.from)) {
    out.push(set(to.start, false, `last_value ${gt} ${far.to} AND NOT is_called`));
    out.push(set(far.to, true, `last_value ${gt} ${far.to}`));
  }
  return out;
}

/**
 * `USING` clause for a type change that PostgreSQL cannot do by an implicit or assignment cast
 * (see `type-casts.ts`; enums go through text).
 */
function usingClause(op: OperationOf<'alterColumnType'>): Fragment[] {
  if (op.from.enumType || op.to.enumType) {
    const array = op.to.type.endsWith('[]');
    const via = array ? 'text[]' : 'text';
    return stmt` USING ${id(op.column)}::${via === op.to.type ? via : `${via}::${op.to.type}`}`;
  }
  switch (conversion(op.from.type, op.to.type)) {
    case 'explicit':
      return stmt` USING ${id(op.column)}::${op.to.type}`;
    case 'via text':
      return stmt` USING ${id(op.column)}::text::${op.to.type}`;
    case 'assignment':
    case 'unknown':
      return [];
  }
}

export function tableStatements(
  op: OperationOf<
    | 'createTable'
    | 'dropTable'
    | 'renameTable'
    | 'setTablePersistence'
    | 'setTableOptions'
    | 'setRowSecurity'
    | 'setReplicaIdentity'
    | 'attachPartition'
    | 'detachPartition'
    | 'addInherit'
    | 'dropInherit'
    | 'addColumn'
    | 'dropColumn'
    | 'renameColumn'
    | 'alterColumnType'
    | 'setColumnDefault'
    | 'setColumnNotNull'
    | 'addIdentity'
    | 'dropIdentity'
    | 'alterIdentity'
    | 'dropExpression'
  >,
): Statement[] {
  switch (op.kind) {
    case 'createTable':
      return createTableStatements(op.table);
    case 'dropTable':
      return [stmt`DROP TABLE ${q(op.table.name)}`];
    case 'renameTable':
      return [stmt`ALTER TABLE ${q(op.from)} RENAME TO ${id(op.to)}`];
    case 'setTablePersistence':
      return [stmt`ALTER TABLE ${q(op.table)} SET ${op.to === 'logged' ? 'LOGGED' : 'UNLOGGED'}`];
    case 'setTableOptions': {
      const toKeys = new Set(op.to.map(optionKey));
      const reset = op.from.map(optionKey).filter((k) => !toKeys.has(k));
      const set = op.to.filter((o) => !op.from.includes(o));
      const out: Statement[] = [];
      if (reset.length > 0) out.push(stmt`ALTER TABLE ${q(op.table)} RESET (${reset.join(', ')})`);
      if (set.length > 0) out.push(stmt`ALTER TABLE ${q(op.table)} SET (${set.join(', ')})`);
      return out;
    }
    case 'setRowSecurity':
      return op.force
        ? [stmt`ALTER TABLE ${q(op.table)} ${op.to ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`]
        : [stmt`ALTER TABLE ${q(op.table)} ${op.to ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`];
    case 'setReplicaIdentity':
      return [replicaIdentityStatement(op.table, op.to)];
    case 'attachPartition':
      return [stmt`ALTER TABLE ${parentRef(op)} ATTACH PARTITION ${q(op.table)} ${op.bound}`];
    case 'detachPartition':
      return [stmt`ALTER TABLE ${parentRef(op)} DETACH PARTITION ${q(op.table)}`];
    case 'addInherit':
      return [stmt`ALTER TABLE ${q(op.table)} INHERIT ${parentRef(op)}`];
    case 'dropInherit':
      return [stmt`ALTER TABLE ${q(op.table)} NO INHERIT ${parentRef(op)}`];
    case 'addColumn':
      return [stmt`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.table, op.column)}`, ...columnExtras(op.table, op.column)];
    case 'dropColumn':
      return [stmt`ALTER TABLE ${q(op.table)} DROP COLUMN ${id(op.column.name)}`];
    case 'renameColumn':
      return [stmt`ALTER TABLE ${q(op.table)} RENAME COLUMN ${id(op.from)} TO ${id(op.to)}`];
    case 'alterColumnType': {
      const collate = op.to.collation !== null ? stmt` COLLATE ${op.to.collation}` : [];
      return [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} TYPE ${op.to.type}${collate}${usingClause(op)}`];
    }
    case 'setColumnDefault':
      return op.to === null
        ? [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} DROP DEFAULT`]
        : [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} SET DEFAULT ${op.to}`];
    case 'setColumnNotNull':
      return [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} ${op.to ? 'SET' : 'DROP'} NOT NULL`];
    case 'addIdentity':
      return [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} ADD ${identitySql(op.table, op.column, op.identity)}`];
    case 'dropIdentity':
      return [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} DROP IDENTITY`];
    case 'alterIdentity': {
      const parts = sequenceChanges(op.from, op.to, 'SET ');
      if (op.from.generation !== op.to.generation) parts.unshift(`SET GENERATED ${op.to.generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
      const out: Statement[] = sequenceBoundStatements(op.from.sequenceName, op.from, op.to);
      if (parts.length > 0) out.push(stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column)} ${parts.join(' ')}`);
      if (op.from.sequenceName !== op.to.sequenceName) out.push(stmt`ALTER SEQUENCE ${q(op.from.sequenceName)} RENAME TO ${id(op.to.sequenceName)}`);
      return out;
    }
    case 'dropExpression':
      return [stmt`ALTER TABLE ${q(op.table)} ALTER COLUMN ${id(op.column.name)} DROP EXPRESSION`];
  }
}

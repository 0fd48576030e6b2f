/** Tables: created, dropped, re-created, and the table-level properties of kept ones. */
import { deepEqual } from '../schema/deep-equal';
import { objectKey } from '../schema/object-key';
import type { Constraint, ObjectKey, RelationRef, ReplicaIdentity, Table } from '../schema/snapshot';
import { constraintMatchKey, indexMatchKey } from './align-names';
import { analyzeColumns, emitColumns, emitInheritedOverrides } from './diff-columns';
import type { DiffContext } from './diff-context';
import type { PartitionChange } from './diff-partitions';
import { attachedConstraintNames, attachedIndexNames, emitAttached } from './diff-partitions';
import { diffComment, diffGrants } from './diff-privileges';
import { addConstraint, dropConstraint, emitConstraints, emitIndexes } from './diff-table-parts';
import { matchBy } from './match-by';
import type { Planned } from './planned';
import { names, Phase } from './planned';
import { automaticNames } from '../schema/generated-names';

/** A foreign key to another table of the schema is added apart, after both tables exist. */
function separateForeignKey(table: Table, c: Constraint): boolean {
  return c.kind === 'foreign key' && c.references !== null && c.references.schema === null && c.references.name !== table.name;
}

/** The keys a CREATE/DROP TABLE bundle covers. */
function bundleKeys(table: Table): ObjectKey[] {
  const keys: ObjectKey[] = [objectKey.table(table.name)];
  for (const c of table.columns) {
    keys.push(objectKey.column(table.name, c.name));
    if (c.default !== null || c.generated !== null) keys.push(objectKey.columnDefault(table.name, c.name));
  }
  for (const c of table.constraints) keys.push(objectKey.constraint(table.name, c.name));
  for (const i of table.indexes) keys.push(objectKey.index(table.name, i.name));
  return keys;
}

function bundleNames(table: Table): string[] {
  const out = [names.relation(table.name), names.type(table.name)];
  for (const c of table.constraints) {
    out.push(names.constraint(table.name, c.name));
    if (c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'exclude') out.push(names.relation(c.name));
  }
  for (const i of table.indexes) out.push(names.relation(i.name));
  return out;
}

/** The parent's indexes and constraints a new partition's own ones are made from: they must exist first. */
function attachedSources(table: Table): ObjectKey[] {
  const parent = table.partitionOf?.parent.schema === null ? table.partitionOf.parent.name : null;
  if (parent === null) return [];
  return [
    ...table.indexes.filter((i) => i.attachedTo !== null).map((i) => objectKey.index(parent, i.attachedTo!)),
    ...table.constraints.filter((c) => c.attachedTo !== null).map((c) => objectKey.constraint(parent, c.attachedTo!)),
  ];
}

export function createTable(ctx: DiffContext, table: Table): void {
  const separate = table.constraints.filter((c) => separateForeignKey(table, c) && c.attachedTo === null);
  const bundle: Table = { ...table, constraints: table.constraints.filter((c) => !separate.includes(c)) };
  const ambiguous = automaticNames(table).filter((x) => x.ambiguous && x.auto !== x.item.name);
  const note =
    ambiguous.length === 0
      ? null
      : `PostgreSQL names the indexes partition "${table.name}" gets for its parent's, numbering those with the same columns in an order Retort cannot know: check that ${ambiguous.map((x) => `"${x.item.name}"`).join(', ')} ended up with the right names`;
  ctx.add(
    { kind: 'createTable', table: bundle, ...(note !== null ? { note } : {}) },
    { phase: Phase.tables, adds: bundleKeys(bundle), claims: bundleNames(bundle), requires: attachedSources(table) },
  );
  emitInheritedOverrides(ctx, table);
  for (const c of separate) addConstraint(ctx, table.name, c);
}

export function dropTable(ctx: DiffContext, table: Table): void {
  const separate = table.constraints.filter((c) => separateForeignKey(table, c));
  const bundle: Table = { ...table, constraints: table.constraints.filter((c) => !separate.includes(c)) };
  for (const c of separate) dropConstraint(ctx, table.name, c);
  ctx.add(
    { kind: 'dropTable', table: bundle, destructive: true, reason: `drops table "${table.name}" and its data` },
    { phase: Phase.drops, removes: bundleKeys(bundle), frees: bundleNames(bundle) },
  );
}

function sameReplicaIdentity(a: ReplicaIdentity, b: ReplicaIdentity): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.index === b.index;
}

/** Two partition keys, or being partitioned or not: a table must be re-created to change it. */
function needsRecreate(from: Table, to: Table): boolean {
  return from.partitionKey !== to.partitionKey;
}

export function analyzeTables(ctx: DiffContext): void {
  const toTables = new Map(ctx.to.tables.map((t) => [t.name, t]));
  const fromTables = new Map(ctx.from.tables.map((t) => [t.name, t]));
  for (const f of ctx.from.tables) {
    const t = toTables.get(f.name);
    if (!t || needsRecreate(f, t)) {
      for (const k of bundleKeys(f)) ctx.breaks(k);
      if (t) {
        ctx.kept.add(objectKey.table(f.name));
        ctx.rebuild.add(objectKey.table(f.name));
      }
      continue;
    }
    ctx.kept.add(objectKey.table(f.name));
    if (deepEqual(f, t)) {
      ctx.identicalTables.add(f.name);
      continue;
    }
    analyzeColumns(ctx, f, t, { fromTables, toTables });
    const constraints = matchBy(f.constraints, t.constraints, constraintMatchKey);
    for (const c of constraints.dropped) ctx.breaks(objectKey.constraint(f.name, c.name));
    // a partition's attached index or constraint follows its parent's: never re-created alone
    const attached = (a: { attachedTo: string | null }, b: { attachedTo: string | null }) => a.attachedTo !== null || b.attachedTo !== null;
    for (const [a, b] of constraints.pairs) {
      ctx.kept.add(objectKey.constraint(f.name, a.name));
      if (a.definition !== b.definition && !attached(a, b)) ctx.rebuildObject(objectKey.constraint(f.name, a.name));
    }
    const indexes = matchBy(f.indexes, t.indexes, indexMatchKey);
    for (const i of indexes.dropped) ctx.breaks(objectKey.index(f.name, i.name));
    for (const [a, b] of indexes.pairs) {
      ctx.kept.add(objectKey.index(f.name, a.name));
      if ((a.definition !== b.definition || a.unique !== b.unique) && !attached(a, b)) ctx.rebuildObject(objectKey.index(f.name, a.name));
    }
  }
}

function refKey(r: RelationRef): string {
  return JSON.stringify([r.schema, r.name]);
}

/** The `parent` (and `parentSchema` when in another schema) of a partition or inheritance operation. */
function parentOf(r: RelationRef): { parent: string; parentSchema?: string } {
  return r.schema === null ? { parent: r.name } : { parent: r.name, parentSchema: r.schema };
}

/** What must exist before a table becomes a child of `parent`: both tables and the parent's columns. */
function parentKeys(tableKey: ObjectKey, parent: RelationRef, toTables: ReadonlyMap<string, Table>): ObjectKey[] {
  if (parent.schema !== null) return [tableKey];
  const columns = toTables.get(parent.name)?.columns ?? [];
  return [tableKey, objectKey.table(parent.name), ...columns.map((c) => objectKey.column(parent.name, c.name))];
}

export function emitTables(ctx: DiffContext): void {
  const fromTables = new Map(ctx.from.tables.map((t) => [t.name, t]));
  const toTables = new Map(ctx.to.tables.map((t) => [t.name, t]));
  const detaches: { parent: string; op: Planned }[] = [];
  const partitions: PartitionChange[] = [];
  for (const t of ctx.to.tables) {
    const f = fromTables.get(t.name);
    if (!f || ctx.rebuild.has(objectKey.table(t.name))) {
      createTable(ctx, t);
      continue;
    }
    if (ctx.identicalTables.has(t.name) && !ctx.tablesWithRebuilds.has(t.name)) continue;
    const table = t.name;
    const tableKey = objectKey.table(table);
    if (f.persistence !== t.persistence) {
      ctx.add({ kind: 'setTablePersistence', table, from: f.persistence, to: t.persistence }, { phase: Phase.tables, adds: [tableKey] });
    }
    if (f.options.join() !== t.options.join()) {
      ctx.add({ kind: 'setTableOptions', table, from: f.options, to: t.options }, { phase: Phase.tables, adds: [tableKey] });
    }
    // partitions and inheritance: detach early (before the parent changes), attach late
    const fp = f.partitionOf;
    const tp = t.partitionOf;
    const samePartition = fp && tp && refKey(fp.parent) === refKey(tp.parent) && fp.bound === tp.bound;
    let detach: Planned | null = null;
    let attach: Planned | null = null;
    if (fp && !samePartition) {
      detach = ctx.add({ kind: 'detachPartition', table, ...parentOf(fp.parent), bound: fp.bound }, { phase: Phase.drops });
      if (fp.parent.schema === null) detaches.push({ parent: fp.parent.name, op: detach });
    }
    if (tp && !samePartition) {
      attach = ctx.add(
        { kind: 'attachPartition', table, ...parentOf(tp.parent), bound: tp.bound },
        { phase: Phase.constraints, requires: parentKeys(tableKey, tp.parent, toTables) },
      );
    }
    const fromParents = new Map(f.inherits.map((p) => [refKey(p), p]));
    const toParents = new Map(t.inherits.map((p) => [refKey(p), p]));
    for (const [k, p] of fromParents) {
      if (toParents.has(k)) continue;
      const op = ctx.add({ kind: 'dropInherit', table, ...parentOf(p) }, { phase: Phase.drops });
      if (p.schema === null) detaches.push({ parent: p.name, op });
    }
    for (const [k, p] of toParents) {
      if (fromParents.has(k)) continue;
      ctx.add({ kind: 'addInherit', table, ...parentOf(p) }, { phase: Phase.constraints, requires: parentKeys(tableKey, p, toTables) });
    }
    emitColumns(ctx, f, t, { fromTables, toTables });
    emitConstraints(ctx, f, t, attachedConstraintNames(f, t));
    emitIndexes(ctx, table, f.indexes, t.indexes, attachedIndexNames(f, t));
    partitions.push({ from: f, to: t, attach, detach });
    if (!sameReplicaIdentity(f.replicaIdentity, t.replicaIdentity)) {
      const index = typeof t.replicaIdentity === 'string' ? [] : [objectKey.index(table, t.replicaIdentity.index)];
      ctx.add({ kind: 'setReplicaIdentity', table, from: f.replicaIdentity, to: t.replicaIdentity }, { phase: Phase.triggers, requires: [tableKey, ...index] });
    }
    if (f.rowSecurity !== t.rowSecurity) {
      ctx.add({ kind: 'setRowSecurity', table, force: false, from: f.rowSecurity, to: t.rowSecurity }, { phase: Phase.triggers, requires: [tableKey] });
    }
    if (f.forceRowSecurity !== t.forceRowSecurity) {
      ctx.add(
        { kind: 'setRowSecurity', table, force: true, from: f.forceRowSecurity, to: t.forceRowSecurity },
        { phase: Phase.triggers, requires: [tableKey] },
      );
    }
    diffComment(ctx, { kind: 'table', name: table }, f.comment, t.comment, tableKey);
    diffGrants(ctx, { kind: 'table', name: table }, f.grants, t.grants, tableKey);
  }
  for (const f of ctx.from.tables) {
    if (toTables.has(f.name) && !ctx.rebuild.has(objectKey.table(f.name))) continue;
    dropTable(ctx, f);
  }
  // after every table's own operations are planned: a parent's new index is known by then
  for (const change of partitions) emitAttached(ctx, change);
  // a parent's column changes must not reach a table that stops being its child
  for (const { parent, op } of detaches) {
    for (const p of ctx.planned) {
      const o = p.op;
      if ((o.kind === 'addColumn' || o.kind === 'dropColumn' || o.kind === 'alterColumnType') && o.table === parent) p.after.push(op);
      if (o.kind === 'dropTable' && o.table.name === parent) p.after.push(op);
    }
  }
}

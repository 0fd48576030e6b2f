/** Columns of a table that exists on both sides. */
import { objectKey } from '../schema/object-key';
import type { Column, Identity, ObjectKey, Table } from '../schema/snapshot';
import { sequenceBoundNote } from '../schema/sequence-bounds';
import { conversion, conversionNote } from '../schema/type-casts';
import { isWidening } from '../schema/type-widening';
import type { DiffContext } from './diff-context';
import { diffComment, diffGrants } from './diff-privileges';
import { sameSequenceOptions } from './diff-types';
import { names, Phase } from './planned';

type Tables = ReadonlyMap<string, Table>;

/** A column that only comes from a parent (not declared by the table itself). */
export function inheritedOnly(column: Column): boolean {
  return column.inherited && !column.local;
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.generation === b.generation && a.sequenceName === b.sequenceName && sameSequenceOptions(a, b);
}

/** Becomes (or changes its expression as) a generated column: it must be dropped and added. */
function becomesGenerated(from: Column, to: Column): boolean {
  return to.generated !== null && from.generated !== to.generated;
}

function ownParents(table: Table): string[] {
  const out = table.inherits.filter((p) => p.schema === null).map((p) => p.name);
  if (table.partitionOf && table.partitionOf.parent.schema === null) out.unshift(table.partitionOf.parent.name);
  return out;
}

/** An inherited-only column whose parent drops it while the table stays its child: it goes too. */
function vanishes(column: Column, from: Table, to: Table, fromTables: Tables, toTables: Tables): boolean {
  if (!inheritedOnly(column)) return false;
  const stillParents = new Set(ownParents(to));
  return ownParents(from).some(
    (p) =>
      stillParents.has(p) && fromTables.get(p)?.columns.some((c) => c.name === column.name) && !toTables.get(p)?.columns.some((c) => c.name === column.name),
  );
}

/**
 * The type change needs a cast one way or the other (the downgrade converts back): what
 * depends on the column is then dropped around it rather than left to PostgreSQL.
 */
function needsCast(from: Column, to: Column): boolean {
  if (from.type === to.type) return false;
  if (from.enumType || to.enumType) return true;
  const ways = [conversion(from.type, to.type), conversion(to.type, from.type)];
  return ways.includes('explicit') || ways.includes('via text');
}

export function analyzeColumns(ctx: DiffContext, from: Table, to: Table, tables: { fromTables: Tables; toTables: Tables }): void {
  const { fromTables, toTables } = tables;
  for (const fc of from.columns) {
    const tc = to.columns.find((c) => c.name === fc.name);
    const key = objectKey.column(from.name, fc.name);
    const defaultKey = objectKey.columnDefault(from.name, fc.name);
    if (!tc) {
      ctx.breaks(key);
      ctx.breaks(defaultKey);
      continue;
    }
    ctx.kept.add(key);
    if ((fc.default !== null || fc.generated !== null) && (tc.default !== null || tc.generated !== null)) ctx.kept.add(defaultKey);
    if (becomesGenerated(fc, tc) || vanishes(fc, from, to, fromTables, toTables)) {
      ctx.rebuildObject(key);
      ctx.breaks(defaultKey);
    } else if ((fc.type !== tc.type || fc.collation !== tc.collation) && !inheritedOnly(fc) && !to.partitionOf) {
      ctx.breaks(key, needsCast(fc, tc) ? 'convert' : 'retype');
    }
  }
}

/** Keys of the copies of `column` that tables inheriting from `table` have only through it. */
function inheritedCopies(ctx: DiffContext, table: string, column: string): ObjectKey[] {
  const out: ObjectKey[] = [];
  for (const t of ctx.from.tables) {
    if (!ownParents(t).includes(table)) continue;
    const c = t.columns.find((x) => x.name === column);
    if (c && inheritedOnly(c)) out.push(objectKey.column(t.name, column), objectKey.columnDefault(t.name, column));
  }
  return out;
}

/**
 * PostgreSQL adds a column after the existing ones and cannot move columns without
 * re-creating the table, which Retort does not do for column order alone: where the target
 * has the new column before columns that already exist, the operation says so. Column order
 * is otherwise not compared (a view lists its columns by name; `SELECT *` and `INSERT`
 * without a column list are what see it).
 */
function appendedNote(from: Table, to: Table, column: Column): string | null {
  const at = to.columns.indexOf(column);
  const existing = new Set(from.columns.map((c) => c.name));
  const later = to.columns.slice(at + 1).filter((c) => existing.has(c.name));
  if (later.length === 0) return null;
  return `column "${column.name}" goes at the end of "${to.name}", where the target has it before "${later[0]!.name}": PostgreSQL cannot move columns without re-creating the table, which Retort does not do for column order, so SELECT * and INSERT without a column list see another order than the target's`;
}

function addColumn(ctx: DiffContext, table: string, column: Column, note: string | null = null): void {
  const key = objectKey.column(table, column.name);
  ctx.add(
    { kind: 'addColumn', table, column, ...(note !== null ? { note } : {}) },
    { phase: Phase.tables, adds: [key, objectKey.columnDefault(table, column.name)], claims: [names.column(table, column.name)] },
  );
}

function dropColumn(ctx: DiffContext, table: string, column: Column, reason: string): void {
  ctx.add(
    { kind: 'dropColumn', table, column, destructive: true, reason },
    {
      phase: Phase.drops,
      removes: [objectKey.column(table, column.name), objectKey.columnDefault(table, column.name), ...inheritedCopies(ctx, table, column.name)],
      frees: [names.column(table, column.name)],
    },
  );
}

/** The parent column an inherited-only column follows, if the parent is in this schema. */
function parentColumn(table: Table, column: string, tables: Tables): Column | undefined {
  for (const p of ownParents(table)) {
    const c = tables.get(p)?.columns.find((x) => x.name === column);
    if (c) return c;
  }
  return undefined;
}

export function emitColumns(ctx: DiffContext, from: Table, to: Table, tables: { fromTables: Tables; toTables: Tables }): void {
  const table = to.name;
  for (const tc of to.columns) {
    const fc = from.columns.find((c) => c.name === tc.name);
    if (!fc) {
      if (!to.partitionOf && !inheritedOnly(tc)) addColumn(ctx, table, tc, appendedNote(from, to, tc));
      continue;
    }
    const key = objectKey.column(table, tc.name);
    const defaultKey = objectKey.columnDefault(table, tc.name);
    if (ctx.rebuild.has(key)) {
      if (!vanishes(fc, from, to, tables.fromTables, tables.toTables)) {
        dropColumn(ctx, table, fc, `re-creates "${table}"."${tc.name}" as a generated column; its stored values are replaced`);
      }
      addColumn(ctx, table, tc);
      continue;
    }
    const column = tc.name;
    const follows = inheritedOnly(fc) || to.partitionOf !== null;
    // what the parent changes reaches an inherited column by itself
    const pf = follows ? parentColumn(from, column, tables.fromTables) : undefined;
    const pt = follows ? parentColumn(to, column, tables.toTables) : undefined;
    const sameAsParent = (pick: (c: Column) => unknown) => pf !== undefined && pt !== undefined && pick(fc) === pick(pf) && pick(tc) === pick(pt);
    const alter = { phase: Phase.tables, adds: [key], removes: [key] };

    if (fc.identity && !tc.identity) ctx.add({ kind: 'dropIdentity', table, column, identity: fc.identity }, alter);
    if (fc.generated !== null && tc.generated === null) {
      ctx.add({ kind: 'dropExpression', table, column: tc, expression: fc.generated }, { phase: Phase.tables, adds: [key], removes: [defaultKey] });
    }
    const typeChange = !follows && (fc.type !== tc.type || fc.collation !== tc.collation);
    const rebuildDefault = ctx.rebuild.has(defaultKey) && fc.generated === null;
    const defaultChange = fc.default !== tc.default && !sameAsParent((c) => c.default);
    let defaultDropped = false;
    if (fc.default !== null && (rebuildDefault || (defaultChange && (typeChange || tc.default === null)))) {
      ctx.add(
        { kind: 'setColumnDefault', table, column, from: fc.default, to: null },
        { phase: rebuildDefault ? Phase.drops : Phase.tables, removes: [defaultKey] },
      );
      defaultDropped = true;
    }
    if (typeChange) {
      const narrowing = fc.type !== tc.type && !isWidening(fc.type, tc.type);
      const note = fc.enumType || tc.enumType ? null : conversionNote(table, column, fc.type, tc.type);
      ctx.add(
        {
          kind: 'alterColumnType',
          table,
          column,
          from: { type: fc.type, collation: fc.collation, enumType: fc.enumType },
          to: { type: tc.type, collation: tc.collation, enumType: tc.enumType },
          ...(narrowing
            ? { destructive: true, reason: `changes "${table}"."${column}" from ${fc.type} to ${tc.type}: values may not convert or may lose precision` }
            : {}),
          ...(note !== null ? { review: true, note } : {}),
        },
        alter,
      );
    }
    if (fc.notNull !== tc.notNull && !sameAsParent((c) => c.notNull)) {
      ctx.add({ kind: 'setColumnNotNull', table, column, from: fc.notNull, to: tc.notNull }, alter);
    }
    if (tc.default !== null && (defaultDropped || defaultChange)) {
      ctx.add(
        { kind: 'setColumnDefault', table, column, from: defaultDropped ? null : fc.default, to: tc.default },
        { phase: Phase.tables, adds: [defaultKey], removes: defaultDropped || fc.default === null ? [] : [defaultKey] },
      );
    }
    if (!fc.identity && tc.identity) ctx.add({ kind: 'addIdentity', table, column, identity: tc.identity }, alter);
    if (fc.identity && tc.identity && !sameIdentity(fc.identity, tc.identity)) {
      const note = sequenceBoundNote(tc.identity.sequenceName, fc.identity, tc.identity);
      ctx.add({ kind: 'alterIdentity', table, column, from: fc.identity, to: tc.identity, ...(note ? { note } : {}) }, alter);
    }
    diffComment(ctx, { kind: 'column', table, name: column }, fc.comment, tc.comment, key);
    diffGrants(ctx, { kind: 'column', table, name: column }, fc.grants, tc.grants, key);
  }
  for (const fc of from.columns) {
    if (to.columns.some((c) => c.name === fc.name)) continue;
    if (from.partitionOf || inheritedOnly(fc)) continue;
    dropColumn(ctx, table, fc, `drops column "${table}"."${fc.name}" and its data`);
  }
}

/**
 * A new child table gets its inherited columns' defaults and NOT NULL from the parent;
 * where the target differs, set them after creating it.
 */
export function emitInheritedOverrides(ctx: DiffContext, table: Table): void {
  if (!table.partitionOf && table.inherits.length === 0) return;
  const toTables = new Map(ctx.to.tables.map((t) => [t.name, t]));
  for (const c of table.columns) {
    if (!inheritedOnly(c) && !table.partitionOf) continue;
    const p = parentColumn(table, c.name, toTables);
    if (!p) continue;
    const key = objectKey.column(table.name, c.name);
    if (p.default !== c.default) {
      ctx.add(
        { kind: 'setColumnDefault', table: table.name, column: c.name, from: p.default, to: c.default },
        { phase: Phase.tables, adds: [objectKey.columnDefault(table.name, c.name)] },
      );
    }
    if (p.notNull !== c.notNull) {
      ctx.add({ kind: 'setColumnNotNull', table: table.name, column: c.name, from: p.notNull, to: c.notNull }, { phase: Phase.tables, adds: [key] });
    }
  }
}

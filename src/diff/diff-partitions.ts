/**
 * The indexes and constraints a partition holds for its parent's (`attachedTo` set). They are
 * never created or dropped on their own: PostgreSQL makes them when the parent's index or
 * constraint is created, when the partition is created, or when it is attached (adopting a
 * matching index the table already has), and drops them with the parent's. Detaching leaves
 * them on the table as its own. Only their names are theirs, so the diff:
 *
 * - renames one PostgreSQL makes during the migration (new parent index, re-created parent
 *   index) when the target names it otherwise;
 * - creates on a table about to be attached the indexes and constraints the target has for
 *   the parent, under the target's names, so that ATTACH adopts them (and the downgrade,
 *   which detaches, can drop them again);
 * - drops after a detach those the table keeps but the target does not have.
 *
 * New partitions are handled by the renderer (`attachedRenames`).
 */
import type { OperationOf } from '../operations/operation';
import { objectKey } from '../schema/object-key';
import type { Constraint, Index, Table } from '../schema/snapshot';
import { automaticName } from '../schema/generated-names';
import type { DiffContext } from './diff-context';
import { addConstraint, createIndex, dropConstraint, dropIndex } from './diff-table-parts';
import type { Planned } from './planned';
import { names, Phase } from './planned';

/** Names (on each side) of the items that involve an attached item, which the plain comparison leaves alone. */
export interface AttachedNames {
  readonly from: ReadonlySet<string>;
  readonly to: ReadonlySet<string>;
}

function involved<T extends { readonly name: string; readonly attachedTo: string | null }>(from: readonly T[], to: readonly T[]): AttachedNames {
  const f = new Set<string>();
  const t = new Set<string>();
  const fromNames = new Set(from.map((x) => x.name));
  const toNames = new Set(to.map((x) => x.name));
  for (const x of from) {
    if (x.attachedTo === null) continue;
    f.add(x.name);
    if (toNames.has(x.name)) t.add(x.name);
  }
  for (const x of to) {
    if (x.attachedTo === null) continue;
    t.add(x.name);
    if (fromNames.has(x.name)) f.add(x.name);
  }
  return { from: f, to: t };
}

export function attachedConstraintNames(from: Table, to: Table): AttachedNames {
  return involved(from.constraints, to.constraints);
}

export function attachedIndexNames(from: Table, to: Table): AttachedNames {
  return involved(from.indexes, to.indexes);
}

/** A table kept on both sides, with the ATTACH or DETACH PARTITION planned for it. */
export interface PartitionChange {
  readonly from: Table;
  readonly to: Table;
  readonly attach: Planned | null;
  readonly detach: Planned | null;
}

/** The planned operations that create the parent's index or constraint `name` (or the whole parent). */
function creators(ctx: DiffContext, parent: string, name: string): Planned[] {
  return ctx.planned.filter((p) => {
    const o = p.op;
    return (
      (o.kind === 'createTable' && o.table.name === parent) ||
      (o.kind === 'createIndex' && o.table === parent && o.index.name === name) ||
      (o.kind === 'addConstraint' && o.table === parent && o.constraint.name === name)
    );
  });
}

function sameIndex(a: Index, b: Index): boolean {
  return a.unique === b.unique && a.definition === b.definition;
}

function sameConstraint(a: Constraint, b: Constraint): boolean {
  return a.kind === b.kind && a.definition === b.definition;
}

/** Renames an item PostgreSQL makes during the migration to its target name, once it exists. */
function renameMade(ctx: DiffContext, table: string, item: Index | Constraint, after: readonly Planned[]): void {
  const isIndex = !('kind' in item);
  const auto = automaticName(table, isIndex ? { kind: 'index', columns: item.columns } : item);
  if (auto === item.name) return;
  const op: OperationOf<'renameIndex'> | OperationOf<'renameConstraint'> = isIndex
    ? { kind: 'renameIndex', from: auto, to: item.name }
    : { kind: 'renameConstraint', table, from: auto, to: item.name };
  const key = isIndex ? objectKey.index(table, item.name) : objectKey.constraint(table, item.name);
  const p = ctx.add(op, {
    phase: Phase.constraints,
    adds: [key],
    requires: [objectKey.table(table)],
    claims: [names.relation(item.name), ...(isIndex ? [] : [names.constraint(table, item.name)])],
  });
  p.after.push(...after);
}

/** Plans what the attached items of one kept table need (see the file comment). */
export function emitAttached(ctx: DiffContext, change: PartitionChange): void {
  const { from: f, to: t, attach, detach } = change;
  const table = t.name;
  const parent = t.partitionOf?.parent.schema === null ? t.partitionOf.parent.name : null;

  const items = [
    { from: f.indexes as readonly (Index | Constraint)[], to: t.indexes as readonly (Index | Constraint)[], index: true },
    { from: f.constraints as readonly (Index | Constraint)[], to: t.constraints as readonly (Index | Constraint)[], index: false },
  ];
  for (const { from, to, index } of items) {
    const fromByName = new Map(from.map((x) => [x.name, x]));
    const toNames = new Set(to.map((x) => x.name));
    const same = (a: Index | Constraint, b: Index | Constraint) =>
      index ? sameIndex(a as Index, b as Index) : sameConstraint(a as Constraint, b as Constraint);
    const drop = (x: Index | Constraint) => (index ? dropIndex(ctx, table, x as Index) : dropConstraint(ctx, table, x as Constraint));
    const create = (x: Index | Constraint) =>
      index ? createIndex(ctx, table, { ...(x as Index), attachedTo: null }) : addConstraint(ctx, table, { ...(x as Constraint), attachedTo: null });

    for (const x of to) {
      if (x.attachedTo === null || (!index && (x as Constraint).kind === 'foreign key')) continue;
      const was = fromByName.get(x.name);
      if (attach) {
        // ATTACH adopts a matching index the table has; give it one under the target's name
        if (was && same(was, x)) continue;
        if (was) drop(was);
        attach.after.push(create(x));
        continue;
      }
      if (parent === null) continue;
      // PostgreSQL makes it when it makes the parent's; otherwise it is already there (paired
      // and, where the names differed, renamed with the other renames)
      const made = creators(ctx, parent, x.attachedTo);
      if (made.length === 0) continue;
      if (was && was.attachedTo === null) {
        // a matching index of the table's own is adopted by the parent's
        if (same(was, x)) continue;
        drop(was);
      }
      renameMade(ctx, table, x, made);
    }

    for (const x of from) {
      if (x.attachedTo === null || toNames.has(x.name)) continue;
      // after DETACH the table keeps it as its own; otherwise it goes with the parent's
      if (detach) drop(x).after.push(detach);
    }
  }
}

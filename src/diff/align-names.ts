/**
 * Pairs the constraints and indexes of each table on both sides and renames the source's
 * where the names differ, so that the rest of the diff sees one object under one name.
 *
 * Two items pair when they have the same match key (the same real name, or a name PostgreSQL
 * generated plus the same definition), or else the same kind and definition. A pair whose
 * names differ is a rename: `t_pkey1` (a table re-created while the old one held `t_pkey`)
 * becomes `t_pkey`, `t_a_key` follows a column renamed to `b` as `t_b_key`, a chosen name
 * follows another chosen name. Renaming keeps what depends on the object (foreign keys on a
 * primary key), where dropping and adding it would not.
 */
import type { Operation } from '../operations/operation';
import { keyKind, keyParts, objectKey } from '../schema/object-key';
import type { Constraint, Index, Snapshot, Table } from '../schema/snapshot';
import { compareText } from '../schema/normalize-snapshot';
import { matchBy } from './match-by';

/** Constraint identity for matching: generated names compare by definition. */
export function constraintMatchKey(c: Constraint): string {
  return c.generatedName ? `auto:${c.kind}:${c.definition}` : `name:${c.name}`;
}

export function indexMatchKey(i: Index): string {
  return i.generatedName ? `auto:${i.unique}:${i.definition}` : `name:${i.name}`;
}

function constraintShape(c: Constraint): string {
  return `${c.kind}\u0000${c.definition}`;
}

function indexShape(i: Index): string {
  return `${i.unique}\u0000${i.only}\u0000${i.definition}`;
}

const byName = (a: { readonly name: string }, b: { readonly name: string }) => compareText(a.name, b.name);

/** Source name -> the target item it pairs with, for pairs whose names differ. */
function renamedPairs<T extends { readonly name: string }>(
  from: readonly T[],
  to: readonly T[],
  key: (item: T) => string,
  shape: (item: T) => string,
): Map<string, T> {
  const out = new Map<string, T>();
  if (from.length === to.length && from.every((f, i) => f.name === to[i]!.name)) return out;
  const first = matchBy(from, to, key);
  const second = matchBy(first.dropped, first.added, shape);
  for (const [f, t] of [...first.pairs, ...second.pairs]) if (f.name !== t.name) out.set(f.name, t);
  return out;
}

export interface AlignedNames {
  /** The source snapshot with its constraints and indexes under the target's names. */
  readonly snapshot: Snapshot;
  /** `renameConstraint` and `renameIndex` operations. */
  readonly operations: readonly Operation[];
  /** A key of the source under its new names. */
  readonly remap: (key: string) => string;
}

/**
 * Renames constraints and indexes of `from` (already under the target's table and column
 * names) to the names of their counterparts in `to`.
 *
 * @example
 * ```ts
 * alignNames(withPkey1, withPkey).operations
 * // [{ kind: 'renameConstraint', table: 't', from: 't_pkey1', to: 't_pkey' }]
 * ```
 */
export function alignNames(from: Snapshot, to: Snapshot): AlignedNames {
  const toTables = new Map(to.tables.map((t) => [t.name, t]));
  const operations: Operation[] = [];
  /** `table\0old` -> new, for constraints and indexes. */
  const renamed = new Map<string, string>();
  const tables = from.tables.map((f): Table => {
    const t = toTables.get(f.name);
    if (!t) return f;
    const constraints = renamedPairs(f.constraints, t.constraints, constraintMatchKey, constraintShape);
    const indexes = renamedPairs(f.indexes, t.indexes, indexMatchKey, indexShape);
    if (constraints.size === 0 && indexes.size === 0) return f;
    for (const [old, c] of constraints) {
      renamed.set(`${f.name}\u0000${old}`, c.name);
      operations.push({ kind: 'renameConstraint', table: f.name, from: old, to: c.name });
    }
    for (const [old, i] of indexes) {
      renamed.set(`${f.name}\u0000${old}`, i.name);
      operations.push({ kind: 'renameIndex', from: old, to: i.name });
    }
    return {
      ...f,
      constraints: f.constraints
        .map((c) => {
          const t = constraints.get(c.name);
          return t ? { ...c, name: t.name, generatedName: t.generatedName } : c;
        })
        .sort(byName),
      indexes: f.indexes
        .map((i) => {
          const t = indexes.get(i.name);
          return t ? { ...i, name: t.name, generatedName: t.generatedName } : i;
        })
        .sort(byName),
    };
  });
  if (operations.length === 0) return { snapshot: from, operations, remap: (key) => key };
  const remap = (key: string): string => {
    const kind = keyKind(key);
    if (kind !== 'constraint' && kind !== 'index') return key;
    const [table, name] = keyParts(key) as [string, string];
    const now = renamed.get(`${table}\u0000${name}`);
    if (now === undefined) return key;
    return kind === 'constraint' ? objectKey.constraint(table, now) : objectKey.index(table, now);
  };
  return {
    snapshot: {
      ...from,
      tables,
      dependencies: from.dependencies.map((d) => ({ object: remap(d.object), dependsOn: remap(d.dependsOn) })),
    },
    operations,
    remap,
  };
}

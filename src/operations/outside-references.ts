/**
 * The objects of other schemas that a list of operations needs: the referenced table of a
 * foreign key, the parent of a partition or child table, the type of a column or the base type
 * of a domain, the schema an extension goes into. A single-schema diff assumes they exist in
 * the target as they did where the target snapshot was read; a command checks that they do
 * (see `missingOutsideObjects` in the catalog) and stops with their names if not, rather than
 * applying SQL that fails half way.
 */
import { readQualifiedName } from '../schema/sql-text';
import type { Operation } from './operation';

export interface OutsideReference {
  readonly kind: 'relation' | 'type' | 'schema';
  readonly schema: string;
  /** The relation's or type's name; null for a schema. */
  readonly name: string | null;
}

/**
 * Qualified names in a `format_type` text (`other.money_t`, `"Geo"."point"[]`,
 * `public.geometry(Point,4326)`), pg_catalog's left out.
 */
export function qualifiedTypeNames(type: string): { schema: string; name: string }[] {
  const out: { schema: string; name: string }[] = [];
  for (let i = 0; i < type.length;) {
    const ch = type[i]!;
    if (ch === "'") {
      const end = type.indexOf("'", i + 1);
      i = end < 0 ? type.length : end + 1;
      continue;
    }
    if (ch === '"' || /[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const name = readQualifiedName(type, i);
      if (!name) break;
      if (name.parts.length === 2 && name.parts[0] !== 'pg_catalog') out.push({ schema: name.parts[0]!, name: name.parts[1]! });
      i = Math.max(name.end, i + 1);
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Lists, once each, the outside objects `ops` need.
 *
 * @example
 * ```ts
 * outsideReferences(diffSnapshots(current, wanted))
 * // [{ kind: 'relation', schema: 'ref', name: 'country' }, { kind: 'type', schema: 'public', name: 'hstore' }]
 * ```
 */
export function outsideReferences(ops: readonly Operation[]): OutsideReference[] {
  const seen = new Map<string, OutsideReference>();
  const add = (kind: OutsideReference['kind'], schema: string | null | undefined, name: string | null) => {
    if (schema === null || schema === undefined || schema === 'pg_catalog') return;
    const ref = { kind, schema, name };
    seen.set(JSON.stringify(ref), ref);
  };
  const types = (text: string) => {
    for (const t of qualifiedTypeNames(text)) add('type', t.schema, t.name);
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'createTable':
        if (op.table.partitionOf) add('relation', op.table.partitionOf.parent.schema, op.table.partitionOf.parent.name);
        for (const p of op.table.inherits) add('relation', p.schema, p.name);
        for (const c of op.table.constraints) if (c.references) add('relation', c.references.schema, c.references.name);
        for (const c of op.table.columns) types(c.type);
        break;
      case 'addConstraint':
        if (op.constraint.references) add('relation', op.constraint.references.schema, op.constraint.references.name);
        break;
      case 'attachPartition':
      case 'addInherit':
        add('relation', op.parentSchema, op.parent);
        break;
      case 'addColumn':
        types(op.column.type);
        break;
      case 'alterColumnType':
        types(op.to.type);
        break;
      case 'createDomain':
        types(op.domain.baseType);
        break;
      case 'createExtension':
        add('schema', op.extension.schema, null);
        break;
      default:
        break;
    }
  }
  return [...seen.values()];
}

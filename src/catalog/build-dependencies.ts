/**
 * Turns pg_depend rows (oids) into dependencies between object keys of the snapshot.
 * References to objects outside the schema are dropped, except extension members,
 * which become a dependency on the extension.
 */
import { objectKey } from '../schema/object-key';
import type { Dependency, ObjectKey, OutsideDependant } from '../schema/snapshot';
import type { CatalogRows } from './catalog-rows';

interface Mapped {
  dependencies: Dependency[];
  usedExtensions: Set<string>;
  outsideDependants: OutsideDependant[];
}

/** Maps `class:oid` (and `pg_class:oid:attnum` for columns) to object keys. */
function buildKeyMap(rows: CatalogRows): { keys: Map<string, ObjectKey>; columnTables: Set<string> } {
  const keys = new Map<string, ObjectKey>();
  const columnTables = new Set<string>();
  const relationName = new Map<string, string>();
  for (const r of rows.relations) {
    relationName.set(r.oid, r.name);
    let key: ObjectKey;
    if (r.kind === 'r' || r.kind === 'p') {
      key = objectKey.table(r.name);
      columnTables.add(r.oid);
    } else if (r.kind === 'v' || r.kind === 'm') key = objectKey.view(r.name);
    else key = objectKey.sequence(r.name);
    keys.set(`pg_class:${r.oid}`, key);
    keys.set(`pg_type:${r.type_oid}`, key);
    if (r.array_type_oid) keys.set(`pg_type:${r.array_type_oid}`, key);
  }
  const matviews = new Set(rows.relations.filter((r) => r.kind === 'm').map((r) => r.oid));
  for (const c of rows.constraints) {
    const table = relationName.get(c.rel_oid);
    if (table === undefined) continue;
    const key = objectKey.constraint(table, c.name);
    keys.set(`pg_constraint:${c.oid}`, key);
    // the index that backs a primary key, unique or exclusion constraint is the constraint
    if (c.index_oid) keys.set(`pg_class:${c.index_oid}`, key);
  }
  for (const i of rows.indexes) {
    const table = relationName.get(i.rel_oid);
    if (table === undefined) continue;
    // a materialized view's indexes are recreated with it
    keys.set(`pg_class:${i.oid}`, matviews.has(i.rel_oid) ? objectKey.view(table) : objectKey.index(table, i.name));
  }
  for (const t of rows.types) {
    const key = objectKey.type(t.name);
    keys.set(`pg_type:${t.oid}`, key);
    if (t.array_type_oid) keys.set(`pg_type:${t.array_type_oid}`, key);
  }
  for (const c of rows.domainConstraints) {
    const type = keys.get(`pg_type:${c.type_oid}`);
    if (type) keys.set(`pg_constraint:${c.oid}`, type);
  }
  for (const r of rows.routines) keys.set(`pg_proc:${r.oid}`, objectKey.routine(r.name, r.argument_types));
  for (const t of rows.triggers) {
    const table = relationName.get(t.rel_oid);
    if (table !== undefined) keys.set(`pg_trigger:${t.oid}`, objectKey.trigger(table, t.name));
  }
  for (const p of rows.policies) {
    const table = relationName.get(p.rel_oid);
    if (table !== undefined) keys.set(`pg_policy:${p.oid}`, objectKey.policy(table, p.name));
  }
  for (const c of rows.collations) keys.set(`pg_collation:${c.oid}`, objectKey.collation(c.name));
  for (const x of rows.extensions) keys.set(`pg_extension:${x.oid}`, objectKey.extension(x.name));
  // columns are looked up through the relation name at use
  for (const [oid, name] of relationName) keys.set(`relname:${oid}`, name);
  return { keys, columnTables };
}

export function buildDependencies(rows: CatalogRows): Mapped {
  const { keys, columnTables } = buildKeyMap(rows);
  // pg_depend names columns by number
  const columnNumbers = columnNumberMap(rows);

  const resolve = (cls: string, oid: string, sub: number): ObjectKey | undefined => {
    if (cls === 'pg_class' && sub > 0 && columnTables.has(oid)) {
      const table = keys.get(`relname:${oid}`);
      const column = columnNumbers.get(`${oid}:${sub}`);
      if (table !== undefined && column !== undefined) return objectKey.column(table, column);
      return undefined;
    }
    return keys.get(`${cls}:${oid}`);
  };

  const members = new Map(rows.extensionMembers.map((m) => [`${m.class}:${m.oid}`, m.extension]));
  const seen = new Set<string>();
  const dependencies: Dependency[] = [];
  const usedExtensions = new Set<string>();
  const sequenceOids = new Set(rows.relations.filter((r) => r.kind === 'S').map((r) => r.oid));
  for (const d of rows.dependencies) {
    // OWNED BY and identity links are modelled by the sequence itself, not as a dependency
    if (d.class === 'pg_class' && sequenceOids.has(d.oid) && d.ref_class === 'pg_class' && d.ref_sub > 0) continue;
    let object: ObjectKey | undefined;
    if (d.class === 'pg_rewrite') object = keys.get(`pg_class:${d.relid}`);
    else if (d.class === 'pg_attrdef') {
      const table = keys.get(`relname:${d.relid}`);
      const column = columnNumbers.get(`${d.relid}:${d.attnum}`);
      object = table !== undefined && column !== undefined ? objectKey.columnDefault(table, column) : undefined;
    } else object = resolve(d.class, d.oid, d.sub);
    if (object === undefined) continue;
    let target: ObjectKey | undefined;
    const extension = members.get(`${d.ref_class}:${d.ref_oid}`);
    if (extension !== undefined) {
      target = objectKey.extension(extension);
      usedExtensions.add(extension);
    } else {
      target = resolve(d.ref_class, d.ref_oid, d.ref_sub);
      if (target !== undefined && d.ref_class === 'pg_extension') {
        const name = rows.extensions.find((x) => x.oid === d.ref_oid)?.name;
        if (name) usedExtensions.add(name);
      }
    }
    if (target === undefined || target === object) continue;
    const id = object + '\u0000' + target;
    if (seen.has(id)) continue;
    seen.add(id);
    dependencies.push({ object, dependsOn: target });
  }
  const outsideDependants: OutsideDependant[] = [];
  for (const o of rows.outsideDependants) {
    const object = resolve(o.ref_class, o.ref_oid, o.ref_sub);
    if (object !== undefined) outsideDependants.push({ object, schema: o.schema, kind: o.kind, description: o.description });
  }
  return { dependencies, usedExtensions, outsideDependants };
}

/** `reloid:attnum` -> column name. */
function columnNumberMap(rows: CatalogRows): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of rows.columns) map.set(`${c.rel_oid}:${c.attnum}`, c.name);
  return map;
}

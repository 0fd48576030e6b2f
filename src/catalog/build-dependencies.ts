/**
 * Turns pg_depend rows (oids) into dependencies between object keys of the snapshot.
 * References to objects outside the schema are dropped, except extension members,
 * which become a dependency on the extension.
 *
 * A large schema has tens of thousands of such rows: lookups go through one map per catalog
 * and keys are built once per object, not once per row.
 */
import { objectKey } from '../schema/object-key';
import type { Dependency, ObjectKey, OutsideDependant } from '../schema/snapshot';
import type { CatalogRows } from './catalog-rows';

interface Mapped {
  dependencies: Dependency[];
  usedExtensions: Set<string>;
  outsideDependants: OutsideDependant[];
}

/** Object keys by catalog and oid, and the keys of table columns by table oid and attnum. */
class KeyMap {
  private readonly byClass = new Map<string, Map<string, ObjectKey>>();
  /** Table oid -> its name and its columns' keys by attnum (built on first use). */
  private readonly tables = new Map<string, { name: string; columns: Map<number, string> | null; keys: Map<number, ObjectKey> }>();

  set(cls: string, oid: string, key: ObjectKey): void {
    let m = this.byClass.get(cls);
    if (!m) this.byClass.set(cls, (m = new Map()));
    m.set(oid, key);
  }

  get(cls: string, oid: string): ObjectKey | undefined {
    return this.byClass.get(cls)?.get(oid);
  }

  addTable(oid: string, name: string): void {
    this.tables.set(oid, { name, columns: null, keys: new Map() });
  }

  tableName(oid: string): string | undefined {
    return this.tables.get(oid)?.name;
  }

  setColumns(columns: CatalogRows['columns']): void {
    for (const c of columns) {
      const t = this.tables.get(c.rel_oid);
      if (!t) continue;
      (t.columns ??= new Map()).set(c.attnum, c.name);
    }
  }

  columnName(oid: string, attnum: number): string | undefined {
    return this.tables.get(oid)?.columns?.get(attnum);
  }

  column(oid: string, attnum: number): ObjectKey | undefined {
    const t = this.tables.get(oid);
    if (!t) return undefined;
    let key = t.keys.get(attnum);
    if (key === undefined) {
      const name = t.columns?.get(attnum);
      if (name === undefined) return undefined;
      key = objectKey.column(t.name, name);
      t.keys.set(attnum, key);
    }
    return key;
  }

  isTable(oid: string): boolean {
    return this.tables.has(oid);
  }
}

function buildKeyMap(rows: CatalogRows): KeyMap {
  const keys = new KeyMap();
  const relationName = new Map<string, string>();
  for (const r of rows.relations) {
    relationName.set(r.oid, r.name);
    let key: ObjectKey;
    if (r.kind === 'r' || r.kind === 'p') {
      key = objectKey.table(r.name);
      keys.addTable(r.oid, r.name);
    } else if (r.kind === 'v' || r.kind === 'm') key = objectKey.view(r.name);
    else key = objectKey.sequence(r.name);
    keys.set('pg_class', r.oid, key);
    keys.set('pg_type', r.type_oid, key);
    if (r.array_type_oid) keys.set('pg_type', r.array_type_oid, key);
  }
  keys.setColumns(rows.columns);
  const matviews = new Set(rows.relations.filter((r) => r.kind === 'm').map((r) => r.oid));
  for (const c of rows.constraints) {
    const table = relationName.get(c.rel_oid);
    if (table === undefined) continue;
    const key = objectKey.constraint(table, c.name);
    keys.set('pg_constraint', c.oid, key);
    // the index that backs a primary key, unique or exclusion constraint is the constraint
    if (c.index_oid) keys.set('pg_class', c.index_oid, key);
  }
  for (const i of rows.indexes) {
    const table = relationName.get(i.rel_oid);
    if (table === undefined) continue;
    // a materialized view's indexes are recreated with it
    keys.set('pg_class', i.oid, matviews.has(i.rel_oid) ? objectKey.view(table) : objectKey.index(table, i.name));
  }
  for (const t of rows.types) {
    const key = objectKey.type(t.name);
    keys.set('pg_type', t.oid, key);
    if (t.array_type_oid) keys.set('pg_type', t.array_type_oid, key);
  }
  for (const c of rows.domainConstraints) {
    const type = keys.get('pg_type', c.type_oid);
    if (type) keys.set('pg_constraint', c.oid, type);
  }
  for (const r of rows.routines) keys.set('pg_proc', r.oid, objectKey.routine(r.name, r.argument_types));
  for (const t of rows.triggers) {
    const table = relationName.get(t.rel_oid);
    if (table !== undefined) keys.set('pg_trigger', t.oid, objectKey.trigger(table, t.name));
  }
  for (const p of rows.policies) {
    const table = relationName.get(p.rel_oid);
    if (table !== undefined) keys.set('pg_policy', p.oid, objectKey.policy(table, p.name));
  }
  for (const c of rows.collations) keys.set('pg_collation', c.oid, objectKey.collation(c.name));
  for (const x of rows.extensions) keys.set('pg_extension', x.oid, objectKey.extension(x.name));
  return keys;
}

/**
 * The extensions the schema's objects use (a type, a function, a procedural language): the
 * targets of dependencies that are extension members or extensions. Cheap, unlike the
 * dependency list itself, which {@link buildDependencies} builds.
 */
export function usedExtensions(rows: CatalogRows): Set<string> {
  const members = new Map<string, Map<string, string>>();
  for (const m of rows.extensionMembers) {
    let byOid = members.get(m.class);
    if (!byOid) members.set(m.class, (byOid = new Map()));
    byOid.set(m.oid, m.extension);
  }
  const extensionNames = new Map(rows.extensions.map((x) => [x.oid, x.name]));
  const used = new Set<string>();
  for (const d of rows.dependencies) {
    const name = d.ref_class === 'pg_extension' ? extensionNames.get(d.ref_oid) : members.get(d.ref_class)?.get(d.ref_oid);
    if (name !== undefined) used.add(name);
  }
  return used;
}

export function buildDependencies(rows: CatalogRows): Mapped {
  const keys = buildKeyMap(rows);
  const resolve = (cls: string, oid: string, sub: number): ObjectKey | undefined =>
    cls === 'pg_class' && sub > 0 && keys.isTable(oid) ? keys.column(oid, sub) : keys.get(cls, oid);

  const members = new Map<string, Map<string, string>>();
  for (const m of rows.extensionMembers) {
    let byOid = members.get(m.class);
    if (!byOid) members.set(m.class, (byOid = new Map()));
    byOid.set(m.oid, m.extension);
  }
  const seen = new Map<ObjectKey, Set<ObjectKey>>();
  const dependencies: Dependency[] = [];
  const usedExtensions = new Set<string>();
  const sequenceOids = new Set(rows.relations.filter((r) => r.kind === 'S').map((r) => r.oid));
  const extensionNames = new Map(rows.extensions.map((x) => [x.oid, x.name]));
  for (const d of rows.dependencies) {
    // OWNED BY and identity links are modelled by the sequence itself, not as a dependency
    if (d.ref_sub > 0 && d.class === 'pg_class' && d.ref_class === 'pg_class' && sequenceOids.has(d.oid)) continue;
    let object: ObjectKey | undefined;
    if (d.class === 'pg_rewrite') object = keys.get('pg_class', d.relid);
    else if (d.class === 'pg_attrdef') {
      const table = keys.tableName(d.relid);
      const column = keys.columnName(d.relid, d.attnum);
      object = table !== undefined && column !== undefined ? objectKey.columnDefault(table, column) : undefined;
    } else object = resolve(d.class, d.oid, d.sub);
    if (object === undefined) continue;
    let target: ObjectKey | undefined;
    const extension = members.get(d.ref_class)?.get(d.ref_oid);
    if (extension !== undefined) {
      target = objectKey.extension(extension);
      usedExtensions.add(extension);
    } else {
      target = resolve(d.ref_class, d.ref_oid, d.ref_sub);
      if (target !== undefined && d.ref_class === 'pg_extension') {
        const name = extensionNames.get(d.ref_oid);
        if (name) usedExtensions.add(name);
      }
    }
    if (target === undefined || target === object) continue;
    let targets = seen.get(object);
    if (!targets) seen.set(object, (targets = new Set()));
    if (targets.has(target)) continue;
    targets.add(target);
    dependencies.push({ object, dependsOn: target });
  }
  const outsideDependants: OutsideDependant[] = [];
  for (const o of rows.outsideDependants) {
    const object = resolve(o.ref_class, o.ref_oid, o.ref_sub);
    if (object !== undefined) outsideDependants.push({ object, schema: o.schema, kind: o.kind, description: o.description });
  }
  return { dependencies, usedExtensions, outsideDependants };
}

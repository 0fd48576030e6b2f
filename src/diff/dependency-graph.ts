import { objectKey } from '../schema/object-key';
import type { ObjectKey, Snapshot } from '../schema/snapshot';

/** Who depends on whom inside one snapshot: pg_depend plus the structure of tables. */
export interface DependencyGraph {
  /** What `key` depends on. */
  dependenciesOf(key: ObjectKey): ReadonlySet<ObjectKey>;
  /** What depends on `key`. */
  dependantsOf(key: ObjectKey): ReadonlySet<ObjectKey>;
}

const none: ReadonlySet<ObjectKey> = new Set();

/**
 * Builds the dependency graph of a snapshot: the recorded dependencies, plus what the
 * catalog does not record as such (a column belongs to its table, a default to its
 * column, a sequence's OWNED BY link to both ends).
 */
export function buildDependencyGraph(snapshot: Snapshot): DependencyGraph {
  const deps = new Map<ObjectKey, Set<ObjectKey>>();
  const dependants = new Map<ObjectKey, Set<ObjectKey>>();
  const add = (object: ObjectKey, dependsOn: ObjectKey) => {
    if (object === dependsOn) return;
    let d = deps.get(object);
    if (!d) deps.set(object, (d = new Set()));
    d.add(dependsOn);
    let r = dependants.get(dependsOn);
    if (!r) dependants.set(dependsOn, (r = new Set()));
    r.add(object);
  };
  for (const d of snapshot.dependencies) add(d.object, d.dependsOn);
  for (const t of snapshot.tables) {
    const table = objectKey.table(t.name);
    for (const c of t.columns) {
      add(objectKey.column(t.name, c.name), table);
      if (c.default !== null || c.generated !== null) add(objectKey.columnDefault(t.name, c.name), objectKey.column(t.name, c.name));
    }
    for (const c of t.constraints) {
      const key = objectKey.constraint(t.name, c.name);
      add(key, table);
      for (const column of c.columns) add(key, objectKey.column(t.name, column));
    }
    for (const i of t.indexes) add(objectKey.index(t.name, i.name), table);
    if (t.partitionOf && t.partitionOf.parent.schema === null) add(table, objectKey.table(t.partitionOf.parent.name));
    for (const p of t.inherits) if (p.schema === null) add(table, objectKey.table(p.name));
  }
  for (const s of snapshot.sequences) {
    if (s.ownedBy) {
      add(objectKey.sequenceOwner(s.name), objectKey.sequence(s.name));
      add(objectKey.sequenceOwner(s.name), objectKey.column(s.ownedBy.table, s.ownedBy.column));
    }
  }
  const views = new Set(snapshot.views.map((v) => v.name));
  for (const t of snapshot.triggers) {
    add(objectKey.trigger(t.table, t.name), views.has(t.table) ? objectKey.view(t.table) : objectKey.table(t.table));
  }
  for (const p of snapshot.policies) add(objectKey.policy(p.table, p.name), objectKey.table(p.table));
  return {
    dependenciesOf: (key) => deps.get(key) ?? none,
    dependantsOf: (key) => dependants.get(key) ?? none,
  };
}

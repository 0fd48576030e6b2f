/**
 * The operations that create, in dependency order, every object of a snapshot that
 * depends (transitively) on some seed objects. Used where undoing one operation means
 * dropping and re-creating its dependants (undoing `ALTER TYPE ... ADD VALUE`).
 */
import type { Operation } from '../operations/operation';
import { keyKind, objectKey, routineKey } from '../schema/object-key';
import type { ObjectKey, Snapshot } from '../schema/snapshot';
import type { DependencyGraph } from './dependency-graph';
import { orderOperations } from './order-operations';
import type { Planned } from './planned';
import { plan, Phase } from './planned';

const rebuilt = new Set(['view', 'routine', 'trigger', 'policy', 'constraint', 'index', 'default']);

/**
 * `skip`: objects not to include (nor follow), e.g. those the diff drops anyway: a downgrade
 * re-creates them on its own.
 */
export function dependantCreations(
  snapshot: Snapshot,
  graph: DependencyGraph,
  seeds: readonly ObjectKey[],
  skip: (key: ObjectKey) => boolean = () => false,
): Operation[] {
  const found = new Set<ObjectKey>();
  const queue = [...seeds];
  while (queue.length > 0) {
    const key = queue.pop()!;
    for (const d of graph.dependantsOf(key)) {
      if (found.has(d) || !rebuilt.has(keyKind(d)) || skip(d)) continue;
      found.add(d);
      queue.push(d);
    }
  }
  if (found.size === 0) return [];
  const planned: Planned[] = [];
  const add = (op: Operation, key: ObjectKey) => {
    if (found.has(key)) planned.push(plan(op, { phase: Phase.views, adds: [key] }));
  };
  for (const v of snapshot.views) add({ kind: 'createView', view: v }, objectKey.view(v.name));
  for (const r of snapshot.routines) add({ kind: 'createRoutine', routine: r }, routineKey(r));
  for (const t of snapshot.triggers) add({ kind: 'createTrigger', trigger: t }, objectKey.trigger(t.table, t.name));
  for (const p of snapshot.policies) add({ kind: 'createPolicy', policy: p }, objectKey.policy(p.table, p.name));
  for (const t of snapshot.tables) {
    for (const c of t.constraints) add({ kind: 'addConstraint', table: t.name, constraint: c }, objectKey.constraint(t.name, c.name));
    for (const i of t.indexes) add({ kind: 'createIndex', table: t.name, index: i }, objectKey.index(t.name, i.name));
    for (const c of t.columns) {
      if (c.default !== null && c.generated === null) {
        add({ kind: 'setColumnDefault', table: t.name, column: c.name, from: null, to: c.default }, objectKey.columnDefault(t.name, c.name));
      }
    }
  }
  return orderOperations(planned, graph, graph).map((p) => p.op);
}

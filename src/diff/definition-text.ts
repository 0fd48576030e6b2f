/**
 * The SQL text behind an object key of a snapshot (a default, a constraint, an index, a
 * view, a routine, a policy, a trigger), for questions like "does it mention this value?".
 */
import { keyKind, objectKey, routineKey } from '../schema/object-key';
import type { ObjectKey, Snapshot } from '../schema/snapshot';

export function definitionTexts(snapshot: Snapshot): (key: ObjectKey) => string {
  let map: Map<ObjectKey, string> | undefined;
  const build = () => {
    const m = new Map<ObjectKey, string>();
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        if (c.default !== null || c.generated !== null) m.set(objectKey.columnDefault(t.name, c.name), c.default ?? c.generated ?? '');
      }
      for (const c of t.constraints) m.set(objectKey.constraint(t.name, c.name), c.definition);
      for (const i of t.indexes) m.set(objectKey.index(t.name, i.name), i.definition);
    }
    for (const v of snapshot.views) m.set(objectKey.view(v.name), v.definition);
    for (const r of snapshot.routines) m.set(routineKey(r), r.definition);
    for (const p of snapshot.policies) m.set(objectKey.policy(p.table, p.name), `${p.using ?? ''} ${p.withCheck ?? ''}`);
    for (const t of snapshot.triggers) m.set(objectKey.trigger(t.table, t.name), `${t.events} ${t.body}`);
    return m;
  };
  return (key) => {
    if (keyKind(key) === 'column') return '';
    map ??= build();
    return map.get(key) ?? '';
  };
}

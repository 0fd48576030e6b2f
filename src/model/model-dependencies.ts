/**
 * The dependencies of a model's snapshot: what the catalog would record in pg_depend, as far as
 * the model says it. The diff orders operations by phase (types, routines, tables, constraints,
 * views, triggers) and, within that, by these; they matter where phases alone are wrong: a view
 * reading another view, a trigger and its function, a foreign key and the table it references.
 */
import { OWN_SCHEMA_ID } from '../schema/own-schema';
import { objectKey } from '../schema/object-key';
import type { Dependency, ObjectKey, Snapshot } from '../schema/snapshot';
import type { AnyModel } from './model';

export interface ModelKeys {
  /** Keys of the routines of each name (overloads share a name). */
  readonly routines: ReadonlyMap<string, readonly ObjectKey[]>;
}

const MENTION = new RegExp(`${OWN_SCHEMA_ID.replaceAll('\u0000', '\\u0000')}\\."((?:[^"]|"")*)"`, 'g');

/** Names of the own schema's objects a text names through `s('name')` (the sentinel). */
export function ownMentions(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1]!.replace(/""/g, '"'));
}

/** Bare words of a type, for types named without `s()`: `setof my_table` -> ['setof', 'my_table']. */
function typeWords(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? [];
}

export function modelDependencies(model: AnyModel, snapshot: Snapshot, keys: ModelKeys): Dependency[] {
  const byName = new Map<string, ObjectKey[]>();
  const name = (n: string, key: ObjectKey) => byName.set(n, [...(byName.get(n) ?? []), key]);
  for (const t of snapshot.tables) name(t.name, objectKey.table(t.name));
  for (const v of snapshot.views) name(v.name, objectKey.view(v.name));
  for (const s of snapshot.sequences) name(s.name, objectKey.sequence(s.name));
  for (const e of snapshot.enums) name(e.name, objectKey.type(e.name));
  for (const d of snapshot.domains) name(d.name, objectKey.type(d.name));
  for (const c of snapshot.collations) name(c.name, objectKey.collation(c.name));
  for (const [n, list] of keys.routines) for (const k of list) name(n, k);

  const out: Dependency[] = [];
  const seen = new Set<string>();
  const depend = (object: ObjectKey, names: readonly string[]) => {
    for (const n of names) {
      for (const dependsOn of byName.get(n) ?? []) {
        const id = `${object}\u0000${dependsOn}`;
        if (object === dependsOn || seen.has(id)) continue;
        seen.add(id);
        out.push({ object, dependsOn });
      }
    }
  };
  const types = new Set([
    ...snapshot.enums.map((e) => e.name),
    ...snapshot.domains.map((d) => d.name),
    ...snapshot.tables.map((t) => t.name),
    ...snapshot.views.map((v) => v.name),
  ]);
  const typeNames = (text: string) => [...ownMentions(text), ...typeWords(text).filter((w) => types.has(w))];

  for (const d of snapshot.domains) {
    depend(objectKey.type(d.name), [
      ...typeNames(d.baseType),
      ...(d.default ? ownMentions(d.default) : []),
      ...d.constraints.flatMap((c) => ownMentions(c.definition)),
    ]);
  }
  for (const t of snapshot.tables) {
    for (const c of t.columns) {
      const column = objectKey.column(t.name, c.name);
      depend(column, typeNames(c.type));
      if (c.collation !== null) depend(column, [c.collation.replace(/^"|"$/g, '')]);
      const expression = c.default ?? c.generated;
      if (expression !== null) depend(objectKey.columnDefault(t.name, c.name), ownMentions(expression));
    }
    for (const c of t.constraints) {
      const key = objectKey.constraint(t.name, c.name);
      if (c.references !== null && c.references.schema === null) depend(key, [c.references.name]);
      depend(key, ownMentions(c.definition));
    }
    for (const i of t.indexes) depend(objectKey.index(t.name, i.name), ownMentions(i.definition));
  }
  const views = [...model.views, ...model.materializedViews];
  for (const v of snapshot.views) {
    const node = views.find((x) => x.name === v.name)?.node;
    depend(objectKey.view(v.name), [...(node?.dependsOn ?? []), ...ownMentions(v.definition)]);
  }
  snapshot.routines.forEach((r, i) => {
    const fn = model.functions[i]!;
    const key = objectKey.routine(r.name, r.argumentTypes);
    // what the signature names must exist; a SQL-standard body is parsed at creation too
    const signature = [r.arguments, r.result ?? ''].join(' ');
    const atomic = typeof fn.body === 'object' && fn.body !== null && 'atomic' in fn.body ? ownMentions(r.definition) : [];
    depend(key, [...(fn.dependsOn ?? []), ...typeNames(signature), ...atomic]);
  });
  for (const t of model.triggers) {
    const key = objectKey.trigger(t.table, t.name);
    if (typeof t.function === 'string') depend(key, [t.function]);
  }
  for (const p of snapshot.policies) depend(objectKey.policy(p.table, p.name), [...ownMentions(p.using ?? ''), ...ownMentions(p.withCheck ?? '')]);
  return out;
}

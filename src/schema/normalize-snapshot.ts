import type { Column, Grant, Grants, Snapshot } from './snapshot';

/** `items` sorted by `order`: the same array when it already is (a snapshot read twice is). */
function sorted<T>(items: readonly T[], order: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < items.length; i++) if (order(items[i - 1]!, items[i]!) > 0) return [...items].sort(order);
  return items;
}

const nameOrder = (a: { readonly name: string }, b: { readonly name: string }) => compareText(a.name, b.name);

function byName<T extends { readonly name: string }>(items: readonly T[]): readonly T[] {
  return sorted(items, nameOrder);
}

/** `next` unless every listed field of it is the same value as in `item`: then `item` itself. */
function same<T extends object>(item: T, next: T): T {
  for (const k of Object.keys(next) as (keyof T)[]) if (next[k] !== item[k]) return next;
  return item;
}

/** Code-unit order, independent of the locale (snapshots must sort the same everywhere). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function grantOrder(a: Grant, b: Grant): number {
  return compareText(a.grantee, b.grantee) || compareText(a.privilege, b.privilege) || Number(a.grantable) - Number(b.grantable);
}

function normalizeGrants(grants: Grants): Grants {
  if (grants.granted.length <= 1 && grants.revoked.length <= 1) return grants;
  return { granted: [...grants.granted].sort(grantOrder), revoked: [...grants.revoked].sort(grantOrder) };
}

/**
 * Puts a snapshot in canonical order (objects by name, grants and dependencies sorted),
 * so that two snapshots of equal schemas are deeply equal. Column order is kept: it is
 * the table's own order.
 */
export function normalizeSnapshot(snapshot: Snapshot): Snapshot {
  return {
    extensions: byName(snapshot.extensions),
    collations: byName(snapshot.collations),
    enums: byName(snapshot.enums).map((e) => ({ ...e, grants: normalizeGrants(e.grants) })),
    domains: byName(snapshot.domains).map((d) => ({
      ...d,
      constraints: byName(d.constraints),
      grants: normalizeGrants(d.grants),
    })),
    sequences: byName(snapshot.sequences).map((s) => ({ ...s, grants: normalizeGrants(s.grants) })),
    tables: byName(snapshot.tables).map((t) => {
      let columns = t.columns;
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        const grants = normalizeGrants(c.grants);
        if (grants === c.grants) continue;
        if (columns === t.columns) columns = [...t.columns];
        (columns as Column[])[i] = { ...c, grants };
      }
      return same(t, {
        ...t,
        columns,
        constraints: byName(t.constraints),
        indexes: byName(t.indexes),
        options: sorted(t.options, compareText),
        grants: normalizeGrants(t.grants),
      });
    }),
    views: byName(snapshot.views).map((v) => ({
      ...v,
      indexes: byName(v.indexes),
      options: [...v.options].sort(compareText),
      grants: normalizeGrants(v.grants),
    })),
    routines: [...snapshot.routines]
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.argumentTypes, b.argumentTypes))
      .map((r) => ({ ...r, grants: normalizeGrants(r.grants) })),
    triggers: [...snapshot.triggers].sort((a, b) => compareText(a.table, b.table) || compareText(a.name, b.name)),
    policies: [...snapshot.policies]
      .sort((a, b) => compareText(a.table, b.table) || compareText(a.name, b.name))
      .map((p) => ({ ...p, roles: [...p.roles].sort(compareText) })),
    dependencies: [...snapshot.dependencies].sort((a, b) => compareText(a.object, b.object) || compareText(a.dependsOn, b.dependsOn)),
  };
}

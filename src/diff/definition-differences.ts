/**
 * Definitions that differ only as text. PostgreSQL prints views, check constraints, defaults,
 * index expressions and policies by deparsing their parsed form, and deparsing is not always
 * a fixpoint: a `varchar` column compared with `IN ('x', 'y')` prints as
 * `= ANY ((ARRAY['x'::character varying, ...])::text[])`, and a view created from that text
 * prints as `= ANY (ARRAY[('x'::character varying)::text, ...])`. Comparing such texts as
 * they are makes a diff that never converges.
 *
 * The remedy needs a database: send each text through PostgreSQL until it stops changing
 * (create the object in a scratch schema, read it back, repeat) and compare what comes back.
 * This module keeps that cheap and pure: {@link textualDifferences} lists the few texts that
 * need it, and the diff's `normalize` option takes the answers, so that two definitions whose
 * normal forms are equal count as equal, and the target's own text is what gets rendered.
 */
import { objectKey } from '../schema/object-key';
import type { ObjectKey, Snapshot, Table, View } from '../schema/snapshot';
import { deepEqual } from '../schema/deep-equal';

/** What kind of definition a text is (it decides how to send it through PostgreSQL). */
export type DefinitionKind = 'view' | 'materialized view' | 'check' | 'default' | 'index' | 'policy using' | 'policy check';

/** One object whose definition differs between the two snapshots as text. */
export interface DefinitionDifference {
  readonly kind: DefinitionKind;
  /** The object (a view, constraint, column default, index or policy). */
  readonly key: ObjectKey;
  /** The table a check, default, index or policy belongs to; null for views. */
  readonly table: string | null;
  /** The column of a default. */
  readonly column: string | null;
  readonly from: string;
  readonly to: string;
}

/**
 * Turns a definition into its normal form, for example by sending it through PostgreSQL until
 * it stops changing. Must be pure from the diff's point of view: collect the answers first
 * (for the texts {@link textualDifferences} lists) and look them up here.
 */
export type Normalize = (kind: DefinitionKind, text: string) => string;

function tableDifferences(f: Table, t: Table, out: DefinitionDifference[]): void {
  for (const tc of t.columns) {
    const fc = f.columns.find((c) => c.name === tc.name);
    if (fc && fc.default !== null && tc.default !== null && fc.default !== tc.default) {
      out.push({ kind: 'default', key: objectKey.columnDefault(t.name, tc.name), table: t.name, column: tc.name, from: fc.default, to: tc.default });
    }
  }
  for (const tc of t.constraints) {
    if (tc.kind !== 'check') continue;
    const fc = f.constraints.find((c) => c.name === tc.name && c.kind === 'check');
    if (fc && fc.definition !== tc.definition) {
      out.push({ kind: 'check', key: objectKey.constraint(t.name, tc.name), table: t.name, column: null, from: fc.definition, to: tc.definition });
    }
  }
  indexDifferences(t.name, f.indexes, t.indexes, out);
}

function indexDifferences(table: string, from: Table['indexes'], to: Table['indexes'], out: DefinitionDifference[]): void {
  for (const ti of to) {
    const fi = from.find((i) => i.name === ti.name);
    if (fi && fi.definition !== ti.definition) {
      out.push({ kind: 'index', key: objectKey.index(table, ti.name), table, column: null, from: fi.definition, to: ti.definition });
    }
  }
}

function viewDifferences(f: View, t: View, out: DefinitionDifference[]): void {
  if (f.materialized === t.materialized && f.definition !== t.definition) {
    out.push({
      kind: t.materialized ? 'materialized view' : 'view',
      key: objectKey.view(t.name),
      table: null,
      column: null,
      from: f.definition,
      to: t.definition,
    });
  }
  if (t.materialized && f.materialized) indexDifferences(t.name, f.indexes, t.indexes, out);
}

/**
 * The definitions present on both sides (same object, same name) whose texts differ: the only
 * ones a round trip through PostgreSQL can make equal. Usually none or a handful.
 *
 * @example
 * ```ts
 * textualDifferences(current, wanted)
 * // [{ kind: 'view', key: 'view:"v"', table: null, column: null, from: '... ANY (ARRAY[(...)::text ...', to: '... ANY ((ARRAY[...])::text[])' }]
 * ```
 */
export function textualDifferences(from: Snapshot, to: Snapshot): DefinitionDifference[] {
  const out: DefinitionDifference[] = [];
  const fromTables = new Map(from.tables.map((t) => [t.name, t]));
  for (const t of to.tables) {
    const f = fromTables.get(t.name);
    if (f && !deepEqual(f, t)) tableDifferences(f, t, out);
  }
  const fromViews = new Map(from.views.map((v) => [v.name, v]));
  for (const t of to.views) {
    const f = fromViews.get(t.name);
    if (f) viewDifferences(f, t, out);
  }
  const fromPolicies = new Map(from.policies.map((p) => [`${p.table}\u0000${p.name}`, p]));
  for (const t of to.policies) {
    const f = fromPolicies.get(`${t.table}\u0000${t.name}`);
    if (!f) continue;
    const key = objectKey.policy(t.table, t.name);
    if (f.using !== null && t.using !== null && f.using !== t.using)
      out.push({ kind: 'policy using', key, table: t.table, column: null, from: f.using, to: t.using });
    if (f.withCheck !== null && t.withCheck !== null && f.withCheck !== t.withCheck) {
      out.push({ kind: 'policy check', key, table: t.table, column: null, from: f.withCheck, to: t.withCheck });
    }
  }
  return out;
}

/**
 * The source snapshot with each definition that normalises to the same form as its
 * counterpart replaced by the counterpart's text: the rest of the diff then sees no
 * difference there, and whatever it renders uses the target's own text.
 */
export function adoptEquivalentTexts(from: Snapshot, to: Snapshot, normalize: Normalize): Snapshot {
  const same = new Map<string, string>();
  for (const d of textualDifferences(from, to)) {
    if (normalize(d.kind, d.from) === normalize(d.kind, d.to)) same.set(`${d.kind}\u0000${d.key}`, d.to);
  }
  if (same.size === 0) return from;
  const text = (kind: DefinitionKind, key: ObjectKey, current: string) => same.get(`${kind}\u0000${key}`) ?? current;
  const indexes = (table: string, list: Table['indexes']) =>
    list.map((i) => {
      const definition = text('index', objectKey.index(table, i.name), i.definition);
      return definition === i.definition ? i : { ...i, definition };
    });
  return {
    ...from,
    tables: from.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => {
        if (c.default === null) return c;
        const d = text('default', objectKey.columnDefault(t.name, c.name), c.default);
        return d === c.default ? c : { ...c, default: d };
      }),
      constraints: t.constraints.map((c) => {
        if (c.kind !== 'check') return c;
        const definition = text('check', objectKey.constraint(t.name, c.name), c.definition);
        return definition === c.definition ? c : { ...c, definition };
      }),
      indexes: indexes(t.name, t.indexes),
    })),
    views: from.views.map((v) => {
      const definition = text(v.materialized ? 'materialized view' : 'view', objectKey.view(v.name), v.definition);
      return { ...v, definition, indexes: v.materialized ? indexes(v.name, v.indexes) : v.indexes };
    }),
    policies: from.policies.map((p) => {
      const key = objectKey.policy(p.table, p.name);
      const using = p.using === null ? null : text('policy using', key, p.using);
      const withCheck = p.withCheck === null ? null : text('policy check', key, p.withCheck);
      return using === p.using && withCheck === p.withCheck ? p : { ...p, using, withCheck };
    }),
  };
}

/** Extensions, collations, enums, domains and sequences. */
import type { EnumColumn, Operation } from '../operations/operation';
import { objectKey } from '../schema/object-key';
import type { Collation, Domain, EnumType, Sequence, SequenceOptions } from '../schema/snapshot';
import { sequenceBoundNote } from '../schema/sequence-bounds';
import { quoteLiteral } from '../schema/sql-text';
import { definitionTexts } from './definition-text';
import type { DiffContext } from './diff-context';
import { diffComment, diffGrants } from './diff-privileges';
import { dependantCreations } from './dependant-creations';
import { names, Phase } from './planned';

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

function sameCollation(a: Collation, b: Collation): boolean {
  return a.provider === b.provider && a.lcCollate === b.lcCollate && a.lcCtype === b.lcCtype && a.locale === b.locale && a.deterministic === b.deterministic;
}

/** True when `small` appears in `large` in the same order (values were only added). */
function isSubsequence(small: readonly string[], large: readonly string[]): boolean {
  let i = 0;
  for (const l of large) if (i < small.length && small[i] === l) i++;
  return i === small.length;
}

function sameDomainType(a: Domain, b: Domain): boolean {
  return a.baseType === b.baseType && a.collation === b.collation;
}

/** Whether two sequences (or identities, which carry the same options) are built alike. */
export function sameSequenceOptions(a: SequenceOptions, b: SequenceOptions): boolean {
  return (
    a.dataType === b.dataType &&
    a.start === b.start &&
    a.increment === b.increment &&
    a.minValue === b.minValue &&
    a.maxValue === b.maxValue &&
    a.cache === b.cache &&
    a.cycle === b.cycle
  );
}

/** Columns of kept tables whose type is the enum on both sides. */
function enumColumns(ctx: DiffContext, type: string): { table: string; column: string; array: boolean; defaultKey: string; default: string | null }[] {
  const out: { table: string; column: string; array: boolean; defaultKey: string; default: string | null }[] = [];
  const toTables = byName(ctx.to.tables);
  const key = objectKey.type(type);
  for (const f of ctx.from.tables) {
    const t = toTables.get(f.name);
    const tableKey = objectKey.table(f.name);
    if (!t || !ctx.kept.has(tableKey) || ctx.rebuild.has(tableKey)) continue;
    for (const c of f.columns) {
      if (c.inherited && !c.local) continue;
      if (!ctx.fromGraph.dependenciesOf(objectKey.column(f.name, c.name)).has(key)) continue;
      const tc = t.columns.find((x) => x.name === c.name);
      if (!tc || tc.type !== c.type) continue;
      out.push({ table: f.name, column: c.name, array: c.type.endsWith('[]'), defaultKey: objectKey.columnDefault(f.name, c.name), default: c.default });
    }
  }
  return out;
}

/** Decisions that break source objects (run before propagation). */
export function analyzeTypes(ctx: DiffContext): void {
  const toExtensions = byName(ctx.to.extensions);
  for (const x of ctx.from.extensions) {
    if (toExtensions.has(x.name)) ctx.kept.add(objectKey.extension(x.name));
    else if (x.schema === null) ctx.breaks(objectKey.extension(x.name));
  }
  const toCollations = byName(ctx.to.collations);
  for (const c of ctx.from.collations) {
    const t = toCollations.get(c.name);
    if (!t) ctx.breaks(objectKey.collation(c.name));
    else if (!sameCollation(c, t)) {
      ctx.kept.add(objectKey.collation(c.name));
      ctx.rebuildObject(objectKey.collation(c.name));
    } else ctx.kept.add(objectKey.collation(c.name));
  }
  const toEnums = byName(ctx.to.enums);
  for (const e of ctx.from.enums) {
    const t = toEnums.get(e.name);
    const key = objectKey.type(e.name);
    if (!t) {
      ctx.breaks(key);
      continue;
    }
    ctx.kept.add(key);
    if (enumChange(ctx, e, t) === 'recreate') {
      ctx.breaks(key, 'full');
      for (const c of enumColumns(ctx, e.name)) ctx.breaks(objectKey.column(c.table, c.column), 'retype');
    }
  }
  const toDomains = byName(ctx.to.domains);
  for (const d of ctx.from.domains) {
    const t = toDomains.get(d.name);
    const key = objectKey.type(d.name);
    if (!t) ctx.breaks(key);
    else {
      ctx.kept.add(key);
      if (!sameDomainType(d, t)) ctx.rebuildObject(key);
    }
  }
  const toSequences = byName(ctx.to.sequences);
  for (const s of ctx.from.sequences) {
    if (toSequences.has(s.name)) ctx.kept.add(objectKey.sequence(s.name));
    else ctx.breaks(objectKey.sequence(s.name));
  }
}

/**
 * A value added with ALTER TYPE ... ADD VALUE cannot be used in the same transaction: when
 * the target's defaults, constraints, views... mention a new value, re-create the enum.
 */
function usesNewLabel(ctx: DiffContext, from: EnumType, to: EnumType): boolean {
  const added = to.labels.filter((l) => !from.labels.includes(l)).map(quoteLiteral);
  const text = definitionTexts(ctx.to);
  for (const dependant of ctx.toGraph.dependantsOf(objectKey.type(to.name))) {
    const sql = text(dependant);
    if (added.some((label) => sql.includes(label))) return true;
  }
  return false;
}

/** Values only added (ALTER TYPE ... ADD VALUE), or the enum must be re-created. */
function enumChange(ctx: DiffContext, from: EnumType, to: EnumType): 'none' | 'add' | 'recreate' {
  if (from.labels.join('\u0000') === to.labels.join('\u0000')) return 'none';
  return isSubsequence(from.labels, to.labels) && !usesNewLabel(ctx, from, to) ? 'add' : 'recreate';
}

function createEnum(ctx: DiffContext, e: EnumType): void {
  ctx.add({ kind: 'createEnum', enum: e }, { phase: Phase.types, adds: [objectKey.type(e.name)], claims: [names.type(e.name)] });
}

function dropEnum(ctx: DiffContext, e: EnumType): void {
  ctx.add({ kind: 'dropEnum', enum: e }, { phase: Phase.drops, removes: [objectKey.type(e.name)], frees: [names.type(e.name)] });
}

function addEnumValues(ctx: DiffContext, from: EnumType, to: EnumType): void {
  const key = objectKey.type(from.name);
  const current = [...from.labels];
  const columns: EnumColumn[] = enumColumns(ctx, from.name).map((c) => ({ table: c.table, column: c.column, array: c.array, default: null }));
  // objects this diff drops are re-created by the downgrade on their own
  const seeds = [key, ...columns.map((c) => objectKey.column(c.table, c.column))];
  const dependants: readonly Operation[] = dependantCreations(ctx.from, ctx.fromGraph, seeds, (k) => ctx.broken.get(k) === 'full');
  to.labels.forEach((label, i) => {
    if (current.includes(label)) return;
    const last = i === to.labels.length - 1;
    const after = i > 0 ? to.labels[i - 1]! : null;
    const before = i === 0 ? (current[0] ?? null) : null;
    ctx.add(
      {
        kind: 'addEnumValue',
        type: from.name,
        value: label,
        before,
        after: last && i > 0 ? null : after,
        labels: [...current],
        columns,
        dependants,
      },
      { phase: Phase.types, adds: [key] },
    );
    current.splice(i, 0, label);
  });
}

function recreateEnum(ctx: DiffContext, from: EnumType, to: EnumType): void {
  const key = objectKey.type(from.name);
  const columns = enumColumns(ctx, from.name);
  const columnKeys = columns.map((c) => objectKey.column(c.table, c.column));
  const removed = from.labels.filter((l) => !to.labels.includes(l));
  ctx.add(
    {
      kind: 'recreateEnum',
      type: from.name,
      fromLabels: from.labels,
      toLabels: to.labels,
      // defaults that mention the enum are dropped and set again around the re-creation
      columns: columns.map((c) => ({ table: c.table, column: c.column, array: c.array, default: ctx.rebuild.has(c.defaultKey) ? null : c.default })),
      ...(removed.length > 0
        ? {
            destructive: true,
            reason: `removes value${removed.length > 1 ? 's' : ''} ${removed.map((l) => `'${l}'`).join(', ')} from enum "${from.name}": rows holding them fail to convert`,
          }
        : {}),
    },
    { phase: Phase.types, adds: [key, ...columnKeys], removes: [key, ...columnKeys] },
  );
}

export function emitTypes(ctx: DiffContext): void {
  // extensions
  const fromExtensions = byName(ctx.from.extensions);
  const toExtensions = byName(ctx.to.extensions);
  for (const t of ctx.to.extensions) {
    const f = fromExtensions.get(t.name);
    const key = objectKey.extension(t.name);
    if (!f) ctx.add({ kind: 'createExtension', extension: t }, { phase: Phase.extensions, adds: [key], claims: [names.extension(t.name)] });
    else if (f.schema === null && t.schema === null && f.version !== t.version) {
      ctx.add(
        { kind: 'alterExtension', name: t.name, fromVersion: f.version, toVersion: t.version, privileged: t.privileged },
        { phase: Phase.extensions, adds: [key] },
      );
    }
  }
  for (const f of ctx.from.extensions) {
    if (f.schema !== null || toExtensions.has(f.name)) continue;
    ctx.add({ kind: 'dropExtension', extension: f }, { phase: Phase.drops, removes: [objectKey.extension(f.name)], frees: [names.extension(f.name)] });
  }

  // collations
  const fromCollations = byName(ctx.from.collations);
  const toCollations = byName(ctx.to.collations);
  for (const t of ctx.to.collations) {
    const f = fromCollations.get(t.name);
    const key = objectKey.collation(t.name);
    if (!f || ctx.rebuild.has(key)) ctx.add({ kind: 'createCollation', collation: t }, { phase: Phase.types, adds: [key], claims: [names.collation(t.name)] });
    else diffComment(ctx, { kind: 'collation', name: t.name }, f.comment, t.comment, key);
  }
  for (const f of ctx.from.collations) {
    const key = objectKey.collation(f.name);
    if (toCollations.has(f.name) && !ctx.rebuild.has(key)) continue;
    ctx.add({ kind: 'dropCollation', collation: f }, { phase: Phase.drops, removes: [key], frees: [names.collation(f.name)] });
  }

  // enums
  const fromEnums = byName(ctx.from.enums);
  const toEnums = byName(ctx.to.enums);
  for (const t of ctx.to.enums) {
    const f = fromEnums.get(t.name);
    if (!f) {
      createEnum(ctx, t);
      continue;
    }
    const change = enumChange(ctx, f, t);
    if (change === 'add') addEnumValues(ctx, f, t);
    else if (change === 'recreate') recreateEnum(ctx, f, t);
    const key = objectKey.type(t.name);
    diffComment(ctx, { kind: 'type', name: t.name }, f.comment, t.comment, key);
    diffGrants(ctx, { kind: 'type', name: t.name }, f.grants, t.grants, key);
  }
  for (const f of ctx.from.enums) if (!toEnums.has(f.name)) dropEnum(ctx, f);

  // domains
  const fromDomains = byName(ctx.from.domains);
  const toDomains = byName(ctx.to.domains);
  for (const t of ctx.to.domains) {
    const f = fromDomains.get(t.name);
    const key = objectKey.type(t.name);
    if (!f || ctx.rebuild.has(key)) {
      ctx.add({ kind: 'createDomain', domain: t }, { phase: Phase.types, adds: [key], claims: [names.type(t.name)] });
      continue;
    }
    if (f.notNull !== t.notNull || f.default !== t.default || JSON.stringify(f.constraints) !== JSON.stringify(t.constraints)) {
      ctx.add({ kind: 'alterDomain', from: f, to: t }, { phase: Phase.types, adds: [key], removes: [key] });
    }
    diffComment(ctx, { kind: 'domain', name: t.name }, f.comment, t.comment, key);
    diffGrants(ctx, { kind: 'domain', name: t.name }, f.grants, t.grants, key);
  }
  for (const f of ctx.from.domains) {
    const key = objectKey.type(f.name);
    if (toDomains.has(f.name) && !ctx.rebuild.has(key)) continue;
    ctx.add({ kind: 'dropDomain', domain: f }, { phase: Phase.drops, removes: [key], frees: [names.type(f.name)] });
  }

  emitSequences(ctx);
}

function owner(s: Sequence) {
  return s.ownedBy ? objectKey.column(s.ownedBy.table, s.ownedBy.column) : null;
}

function emitSequences(ctx: DiffContext): void {
  const fromSequences = byName(ctx.from.sequences);
  const toSequences = byName(ctx.to.sequences);
  for (const t of ctx.to.sequences) {
    const f = fromSequences.get(t.name);
    const key = objectKey.sequence(t.name);
    const ownerKey = objectKey.sequenceOwner(t.name);
    if (!f) {
      ctx.add({ kind: 'createSequence', sequence: t }, { phase: Phase.types, adds: [key], claims: [names.relation(t.name)] });
      if (t.ownedBy)
        ctx.add({ kind: 'setSequenceOwner', name: t.name, from: null, to: t.ownedBy }, { phase: Phase.tables, adds: [ownerKey], requires: [owner(t)!] });
      continue;
    }
    if (!sameSequenceOptions(f, t)) {
      const note = sequenceBoundNote(t.name, f, t);
      ctx.add({ kind: 'alterSequence', name: t.name, from: f, to: t, ...(note ? { note } : {}) }, { phase: Phase.types, adds: [key] });
    }
    if (owner(f) !== owner(t)) {
      ctx.add(
        { kind: 'setSequenceOwner', name: t.name, from: f.ownedBy, to: t.ownedBy },
        {
          phase: t.ownedBy ? Phase.tables : Phase.drops,
          removes: f.ownedBy ? [ownerKey] : [],
          adds: t.ownedBy ? [ownerKey] : [],
          requires: t.ownedBy ? [owner(t)!] : [],
        },
      );
    }
    diffComment(ctx, { kind: 'sequence', name: t.name }, f.comment, t.comment, key);
    diffGrants(ctx, { kind: 'sequence', name: t.name }, f.grants, t.grants, key);
  }
  for (const f of ctx.from.sequences) {
    if (toSequences.has(f.name)) continue;
    if (f.ownedBy)
      ctx.add({ kind: 'setSequenceOwner', name: f.name, from: f.ownedBy, to: null }, { phase: Phase.drops, removes: [objectKey.sequenceOwner(f.name)] });
    ctx.add({ kind: 'dropSequence', sequence: f }, { phase: Phase.drops, removes: [objectKey.sequence(f.name)], frees: [names.relation(f.name)] });
  }
}

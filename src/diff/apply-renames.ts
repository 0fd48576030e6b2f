/**
 * Rewrites the "from" snapshot as it will be after the renames, so that the rest of the
 * diff compares objects under their new names. Also renames the sequences PostgreSQL named
 * after the table or column (`old_id_seq`) when the target names them after the new one;
 * constraints and indexes follow in `align-names.ts`.
 */
import type { Operation } from '../operations/operation';
import { isGeneratedName } from '../schema/generated-names';
import { keyKind, keyParts, objectKey } from '../schema/object-key';
import type { ObjectKey, RelationRef, Snapshot, Table } from '../schema/snapshot';
import { renameIdentifiers } from '../schema/sql-text';
import type { ResolvedRenames } from './renames';

export interface RenamedSnapshot {
  /** The "from" snapshot under the new names. */
  readonly snapshot: Snapshot;
  /** Rename operations in order (tables, then columns, then the names derived from them). */
  readonly operations: readonly Operation[];
  /** New table name -> old table name, for tables that were renamed. */
  readonly oldTableNames: ReadonlyMap<string, string>;
  /** Keys (new names) of renamed tables and columns. */
  readonly renamedKeys: ReadonlySet<ObjectKey>;
  /** A key of the source under its new names. */
  readonly remap: (key: ObjectKey) => ObjectKey;
}

function reviewNote(what: string, to: string): string {
  return `${what} is gone and "${to}" is new with the same shape: proposed as a rename. Confirm it, or drop and add instead.`;
}

export function applyRenames(from: Snapshot, to: Snapshot, renames: ResolvedRenames): RenamedSnapshot {
  const operations: Operation[] = [];
  const renamedKeys = new Set<ObjectKey>();
  if (renames.tables.size === 0 && renames.columns.size === 0) {
    return { snapshot: from, operations, oldTableNames: new Map(), renamedKeys, remap: (key) => key };
  }
  const tableName = (old: string) => renames.tables.get(old)?.to ?? old;
  const oldTableNames = new Map([...renames.tables.values()].map((d) => [d.to, d.from]));
  for (const d of renames.tables.values()) {
    operations.push({ kind: 'renameTable', from: d.from, to: d.to, ...(d.review ? { review: true, note: reviewNote(`table "${d.from}"`, d.to) } : {}) });
  }
  const columnMap = (newTable: string): ReadonlyMap<string, string> =>
    new Map([...(renames.columns.get(newTable)?.entries() ?? [])].map(([old, d]) => [old, d.to]));
  for (const [table, decisions] of renames.columns) {
    for (const d of decisions.values()) {
      operations.push({
        kind: 'renameColumn',
        table,
        from: d.from,
        to: d.to,
        ...(d.review ? { review: true, note: reviewNote(`column "${table}"."${d.from}"`, d.to) } : {}),
      });
    }
  }
  const tableMap = new Map([...renames.tables.values()].map((d) => [d.from, d.to]));
  const renameRef = (r: RelationRef): RelationRef => (r.schema === null ? { schema: null, name: tableName(r.name) } : r);
  const toTables = new Map(to.tables.map((t) => [t.name, t]));

  // sequences named after a renamed table or column follow when the target names them so
  const sequenceNames = new Map<string, string>();
  const touched = (old: Table) => renames.tables.has(old.name) || renames.columns.has(tableName(old.name));
  for (const old of from.tables) {
    if (!touched(old)) continue;
    const name = tableName(old.name);
    const cols = columnMap(name);
    const target = toTables.get(name);
    if (!target) continue;
    for (const c of old.columns) {
      const column = cols.get(c.name) ?? c.name;
      const targetColumn = target.columns.find((t) => t.name === column);
      if (
        c.identity &&
        targetColumn?.identity &&
        c.identity.sequenceName !== targetColumn.identity.sequenceName &&
        isGeneratedName(c.identity.sequenceName, old.name, c.name, 'seq')
      ) {
        sequenceNames.set(c.identity.sequenceName, targetColumn.identity.sequenceName);
      }
    }
  }
  for (const s of from.sequences) {
    if (!s.ownedBy || !isGeneratedName(s.name, s.ownedBy.table, s.ownedBy.column, 'seq')) continue;
    const table = tableName(s.ownedBy.table);
    const column = columnMap(table).get(s.ownedBy.column) ?? s.ownedBy.column;
    if (table === s.ownedBy.table && column === s.ownedBy.column) continue;
    const target = to.sequences.find((t) => t.ownedBy?.table === table && t.ownedBy.column === column);
    if (target && target.name !== s.name && !from.sequences.some((o) => o.name === target.name)) sequenceNames.set(s.name, target.name);
  }
  for (const [old, name] of sequenceNames) operations.push({ kind: 'renameSequence', from: old, to: name });

  const renameTable = (t: Table): Table => {
    const name = tableName(t.name);
    const cols = columnMap(name);
    const identifiers = new Map([...tableMap, ...cols, ...sequenceNames]);
    if (name !== t.name) {
      renamedKeys.add(objectKey.table(name));
      for (const c of t.columns) renamedKeys.add(objectKey.column(name, cols.get(c.name) ?? c.name));
    }
    for (const [, to] of cols) renamedKeys.add(objectKey.column(name, to));
    return {
      ...t,
      name,
      partitionOf: t.partitionOf ? { ...t.partitionOf, parent: renameRef(t.partitionOf.parent) } : null,
      inherits: t.inherits.map(renameRef),
      columns: t.columns.map((c) => ({
        ...c,
        name: cols.get(c.name) ?? c.name,
        default: c.default === null ? null : renameIdentifiers(c.default, identifiers),
        generated: c.generated === null ? null : renameIdentifiers(c.generated, identifiers),
        identity: c.identity ? { ...c.identity, sequenceName: sequenceNames.get(c.identity.sequenceName) ?? c.identity.sequenceName } : null,
      })),
      constraints: t.constraints.map((c) => {
        const refCols = c.references?.schema === null ? columnMap(tableName(c.references.name)) : new Map<string, string>();
        return {
          ...c,
          definition: renameIdentifiers(c.definition, new Map([...identifiers, ...refCols])),
          columns: c.columns.map((n) => cols.get(n) ?? n),
          references: c.references ? renameRef(c.references) : null,
        };
      }),
      indexes: t.indexes.map((i) => ({ ...i, definition: renameIdentifiers(i.definition, identifiers) })),
    };
  };

  const remapKey = (key: ObjectKey): ObjectKey => {
    const kind = keyKind(key);
    const parts = keyParts(key);
    switch (kind) {
      case 'table':
        return objectKey.table(tableName(parts[0]!));
      case 'column':
      case 'default': {
        const t = tableName(parts[0]!);
        const c = columnMap(t).get(parts[1]!) ?? parts[1]!;
        return kind === 'column' ? objectKey.column(t, c) : objectKey.columnDefault(t, c);
      }
      case 'constraint':
        return objectKey.constraint(tableName(parts[0]!), parts[1]!);
      case 'index':
        return objectKey.index(tableName(parts[0]!), parts[1]!);
      case 'trigger':
        return objectKey.trigger(tableName(parts[0]!), parts[1]!);
      case 'policy':
        return objectKey.policy(tableName(parts[0]!), parts[1]!);
      case 'sequence':
        return objectKey.sequence(sequenceNames.get(parts[0]!) ?? parts[0]!);
      case 'seqowner':
        return objectKey.sequenceOwner(sequenceNames.get(parts[0]!) ?? parts[0]!);
      default:
        return key;
    }
  };

  const snapshot: Snapshot = {
    ...from,
    tables: from.tables.map(renameTable),
    sequences: from.sequences.map((s) => {
      const owner = s.ownedBy
        ? { table: tableName(s.ownedBy.table), column: columnMap(tableName(s.ownedBy.table)).get(s.ownedBy.column) ?? s.ownedBy.column }
        : null;
      return { ...s, name: sequenceNames.get(s.name) ?? s.name, ownedBy: owner };
    }),
    triggers: from.triggers.map((t) => {
      const table = tableName(t.table);
      const cols = columnMap(table);
      return { ...t, table, events: renameIdentifiers(t.events, cols), body: renameIdentifiers(t.body, cols) };
    }),
    policies: from.policies.map((p) => {
      const table = tableName(p.table);
      const cols = columnMap(table);
      return {
        ...p,
        table,
        using: p.using === null ? null : renameIdentifiers(p.using, cols),
        withCheck: p.withCheck === null ? null : renameIdentifiers(p.withCheck, cols),
      };
    }),
    dependencies: from.dependencies.map((d) => ({ object: remapKey(d.object), dependsOn: remapKey(d.dependsOn) })),
  };
  return { snapshot, operations, oldTableNames, renamedKeys, remap: remapKey };
}

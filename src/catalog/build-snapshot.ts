/**
 * Assembles the catalog rows of one schema into a {@link Snapshot}: no database access,
 * only mapping rows to objects and oids to object keys.
 */
import { generatedLabel, isGeneratedName, nameAddition } from '../schema/generated-names';
import { compareText, normalizeSnapshot } from '../schema/normalize-snapshot';
import type {
  Column,
  Constraint,
  ConstraintKind,
  Grant,
  Grants,
  Identity,
  Index,
  OutsideDependant,
  ReplicaIdentity,
  Sequence,
  Snapshot,
  Table,
  View,
} from '../schema/snapshot';
import { defaultGrants, emptySnapshot, READER_ROLE, withOutsideDependants } from '../schema/snapshot';
import type { CatalogRows, ColumnRow, ConstraintRow, IndexRow, RelationRow, SequenceRow } from './catalog-rows';
import { buildDependencies, usedExtensions } from './build-dependencies';
import { canonicalArrayCasts, splitIndexDefinition, splitRoutineDefinition, splitTriggerDefinition } from './definitions';

const constraintKinds: Record<ConstraintRow['type'], ConstraintKind> = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
  x: 'exclude',
};

const policyCommands = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' } as const;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** The catalog's null grantee is the reading role. */
function grantsOf(grants: Grants | null): Grants {
  if (grants === null) return defaultGrants;
  const named = (list: readonly Grant[]) => list.map((g) => (g.grantee === null ? { ...g, grantee: READER_ROLE } : g));
  return { granted: named(grants.granted), revoked: named(grants.revoked) };
}

function toIdentity(column: ColumnRow, sequence: SequenceRow | undefined): Identity | null {
  if (column.identity === '' || !sequence) return null;
  return {
    generation: column.identity === 'a' ? 'always' : 'by default',
    sequenceName: sequence.name,
    dataType: sequence.data_type,
    start: sequence.start,
    increment: sequence.increment,
    minValue: sequence.min_value,
    maxValue: sequence.max_value,
    cache: sequence.cache,
    cycle: sequence.cycle,
  };
}

type Comments = ReadonlyMap<string, string>;

function commentOf(comments: Comments, cls: string, oid: string, sub = 0): string | null {
  return comments.size === 0 ? null : (comments.get(`${cls}:${oid}:${sub}`) ?? null);
}

/** Groups rows by a key, each group sorted by `order` (rows come in no particular order). */
function groupSorted<T>(rows: readonly T[], key: (row: T) => string, order: (row: T) => number): Map<string, T[]> {
  const groups = groupBy(rows, key);
  for (const list of groups.values()) {
    for (let i = 1; i < list.length; i++) {
      if (order(list[i - 1]!) > order(list[i]!)) {
        list.sort((a, b) => order(a) - order(b));
        break;
      }
    }
  }
  return groups;
}

function toConstraint(row: ConstraintRow, table: string, columnNames: ReadonlyMap<string, string>, comments: Comments): Constraint {
  const kind = constraintKinds[row.type];
  const columns = row.column_numbers.map((n) => columnNames.get(`${row.rel_oid}:${n}`) ?? String(n));
  let name2: string | null;
  if (kind === 'primary key') name2 = null;
  else if (kind === 'exclude' || kind === 'unique') name2 = nameAddition(row.index_columns ?? columns);
  else if (kind === 'foreign key') name2 = nameAddition(columns);
  else name2 = columns.length === 1 ? columns[0]! : null;
  return {
    name: row.name,
    kind,
    definition: canonicalArrayCasts(row.definition),
    columns,
    references: row.references === null ? null : { schema: row.references_schema, name: row.references },
    generatedName: isGeneratedName(row.name, table, name2, generatedLabel[kind]),
    attachedTo: row.attached_to,
    comment: commentOf(comments, 'pg_constraint', row.oid),
  };
}

function toIndex(row: IndexRow, table: string, comments: Comments): Index {
  const split = splitIndexDefinition(row.definition, row.qualified_table);
  return {
    name: row.name,
    unique: row.unique,
    only: split.only,
    definition: split.definition,
    columns: row.columns,
    generatedName: isGeneratedName(row.name, table, nameAddition(row.columns), generatedLabel.index),
    attachedTo: row.attached_to,
    comment: commentOf(comments, 'pg_class', row.oid),
  };
}

function replicaIdentityOf(rel: RelationRow): ReplicaIdentity {
  switch (rel.replica_identity) {
    case 'n':
      return 'nothing';
    case 'f':
      return 'full';
    case 'i':
      // an index that has been dropped leaves 'i' without an index: nothing is sent
      return rel.replica_identity_index === null ? 'nothing' : { index: rel.replica_identity_index };
    default:
      return 'default';
  }
}

/** Builds the snapshot of one schema from its catalog rows. */
export function buildSnapshot(rows: CatalogRows, schema: string): Snapshot {
  const members = new Set(rows.extensionMembers.map((m) => `${m.class}:${m.oid}`));
  const own = <T extends { oid: string }>(cls: string, list: T[]): T[] => (members.size === 0 ? list : list.filter((r) => !members.has(`${cls}:${r.oid}`)));
  rows = {
    ...rows,
    relations: own('pg_class', rows.relations),
    types: own('pg_type', rows.types),
    routines: own('pg_proc', rows.routines),
    collations: own('pg_collation', rows.collations),
  };
  const comments: Comments = new Map(rows.comments.map((c) => [`${c.class}:${c.oid}:${c.sub}`, c.comment]));
  const columnNames = new Map(rows.columns.map((c) => [`${c.rel_oid}:${c.attnum}`, c.name]));
  const columnsByRelation = groupSorted(
    rows.columns,
    (c) => c.rel_oid,
    (c) => c.attnum,
  );
  const constraintsByRelation = groupBy(rows.constraints, (c) => c.rel_oid);
  const indexesByRelation = groupBy(rows.indexes, (i) => i.rel_oid);
  const inheritsByRelation = groupSorted(
    rows.inherits,
    (i) => i.oid,
    (i) => i.seqno,
  );
  const identitySequences = new Map<string, SequenceRow>();
  for (const s of rows.sequences) {
    if (s.owner_kind === 'i' && s.owner_oid && s.owner_column) identitySequences.set(`${s.owner_oid}:${s.owner_column}`, s);
  }
  const relationNames = new Map(rows.relations.map((r) => [r.oid, r.name]));

  const tables: Table[] = [];
  const views: View[] = [];
  for (const rel of rows.relations) {
    const columnRows = columnsByRelation.get(rel.oid) ?? [];
    if (rel.kind === 'r' || rel.kind === 'p') {
      const parents = inheritsByRelation.get(rel.oid) ?? [];
      const partitionParent = parents.find((p) => p.partition);
      const columns: Column[] = columnRows.map((c) => ({
        name: c.name,
        type: c.type,
        enumType: c.enum_type,
        collation: c.collation,
        notNull: c.not_null,
        default: c.default,
        identity: toIdentity(c, identitySequences.get(`${rel.oid}:${c.name}`)),
        generated: c.generated,
        inherited: c.inherited,
        local: c.local,
        comment: commentOf(comments, 'pg_class', rel.oid, c.attnum),
        grants: grantsOf(c.grants),
      }));
      tables.push({
        name: rel.name,
        persistence: rel.persistence === 'u' ? 'unlogged' : 'logged',
        partitionKey: rel.partition_key,
        partitionOf:
          partitionParent && rel.partition_bound !== null
            ? { parent: { schema: partitionParent.parent_schema, name: partitionParent.parent }, bound: rel.partition_bound }
            : null,
        inherits: parents.filter((p) => !p.partition).map((p) => ({ schema: p.parent_schema, name: p.parent })),
        columns,
        constraints: (constraintsByRelation.get(rel.oid) ?? []).map((c) => toConstraint(c, rel.name, columnNames, comments)),
        indexes: (indexesByRelation.get(rel.oid) ?? []).map((i) => toIndex(i, rel.name, comments)),
        rowSecurity: rel.row_security,
        forceRowSecurity: rel.force_row_security,
        options: rel.options,
        replicaIdentity: replicaIdentityOf(rel),
        comment: commentOf(comments, 'pg_class', rel.oid),
        grants: grantsOf(rel.grants),
        owner: rel.owner,
      });
    } else if (rel.kind === 'v' || rel.kind === 'm') {
      views.push({
        name: rel.name,
        materialized: rel.kind === 'm',
        definition: rel.view_definition ?? '',
        columns: columnRows.map((c) => ({ name: c.name, type: c.type, collation: c.collation, comment: commentOf(comments, 'pg_class', rel.oid, c.attnum) })),
        options: rel.options,
        indexes: (indexesByRelation.get(rel.oid) ?? []).map((i) => toIndex(i, rel.name, comments)),
        comment: commentOf(comments, 'pg_class', rel.oid),
        grants: grantsOf(rel.grants),
        owner: rel.owner,
      });
    }
  }

  const sequenceRelations = new Map(rows.relations.filter((r) => r.kind === 'S').map((r) => [r.oid, r]));
  const sequences: Sequence[] = [];
  for (const s of rows.sequences) {
    const rel = sequenceRelations.get(s.oid);
    if (!rel || s.owner_kind === 'i') continue;
    sequences.push({
      name: s.name,
      dataType: s.data_type,
      start: s.start,
      increment: s.increment,
      minValue: s.min_value,
      maxValue: s.max_value,
      cache: s.cache,
      cycle: s.cycle,
      ownedBy: s.owner_table && s.owner_column ? { table: s.owner_table, column: s.owner_column } : null,
      comment: commentOf(comments, 'pg_class', rel.oid),
      grants: grantsOf(rel.grants),
      owner: rel.owner,
    });
  }

  const domainConstraints = groupBy(rows.domainConstraints, (c) => c.type_oid);
  const enums = rows.types
    .filter((t) => t.kind === 'e')
    .map((t) => ({ name: t.name, labels: t.labels ?? [], comment: commentOf(comments, 'pg_type', t.oid), grants: grantsOf(t.grants), owner: t.owner }));
  const domains = rows.types
    .filter((t) => t.kind === 'd')
    .map((t) => ({
      name: t.name,
      baseType: t.base_type ?? '',
      notNull: t.not_null,
      default: t.default,
      collation: t.collation,
      constraints: (domainConstraints.get(t.oid) ?? []).map((c) => ({ name: c.name, definition: c.definition })),
      comment: commentOf(comments, 'pg_type', t.oid),
      grants: grantsOf(t.grants),
      owner: t.owner,
    }));

  const routines = rows.routines.map((r) => ({
    name: r.name,
    kind: r.kind === 'p' ? ('procedure' as const) : ('function' as const),
    argumentTypes: r.argument_types,
    identityArguments: r.identity_arguments,
    arguments: r.arguments,
    result: r.result,
    language: r.language,
    privileged: r.privileged,
    volatility: r.volatility === 'i' ? ('immutable' as const) : r.volatility === 's' ? ('stable' as const) : ('volatile' as const),
    strict: r.strict,
    securityDefiner: r.security_definer,
    definition: splitRoutineDefinition(r.definition, r.qualified_name, schema),
    comment: commentOf(comments, 'pg_proc', r.oid),
    grants: grantsOf(r.grants),
    owner: r.owner,
  }));

  const triggers = rows.triggers.flatMap((t) => {
    const table = relationNames.get(t.rel_oid);
    if (table === undefined) return [];
    const split = splitTriggerDefinition(t.definition, t.qualified_table);
    return [
      {
        name: t.name,
        table,
        constraint: split.constraint,
        events: split.events,
        body: split.body,
        enabled: t.enabled,
        comment: commentOf(comments, 'pg_trigger', t.oid),
      },
    ];
  });

  const policies = rows.policies.flatMap((p) => {
    const table = relationNames.get(p.rel_oid);
    if (table === undefined) return [];
    return [
      {
        name: p.name,
        table,
        permissive: p.permissive,
        command: policyCommands[p.command],
        roles: p.roles.map((r) => r ?? READER_ROLE),
        using: p.using,
        withCheck: p.with_check,
        comment: commentOf(comments, 'pg_policy', p.oid),
      },
    ];
  });

  const collations = rows.collations.map((c) => ({
    name: c.name,
    provider: c.provider === 'i' ? 'icu' : c.provider === 'c' ? 'libc' : c.provider === 'b' ? 'builtin' : 'default',
    lcCollate: c.lc_collate,
    lcCtype: c.lc_ctype,
    locale: c.locale,
    deterministic: c.deterministic,
    comment: commentOf(comments, 'pg_collation', c.oid),
  }));

  const used = usedExtensions(rows);
  const extensions = rows.extensions
    .filter((x) => x.own || used.has(x.name))
    .map((x) => ({ name: x.name, version: x.version, schema: x.own ? null : x.schema, privileged: x.privileged }));

  const snapshot = normalizeSnapshot({
    extensions,
    collations,
    enums,
    domains,
    sequences,
    tables,
    views,
    routines,
    triggers,
    policies,
    dependencies: [],
  });
  let built: ReturnType<typeof buildDependencies> | undefined;
  const dependencies = () => (built ??= buildDependencies(rows));
  const sorted = (list: OutsideDependant[]) => list.sort((a, b) => compareText(a.object, b.object) || compareText(a.description, b.description));
  return withOutsideDependants(
    withLazyDependencies(snapshot, () => normalizeSnapshot({ ...emptySnapshot, dependencies: dependencies().dependencies }).dependencies),
    () => sorted(dependencies().outsideDependants),
  );
}

/**
 * The snapshot with `dependencies` computed when first read: a diff of equal schemas never
 * reads them, and on a large schema they are a good part of the snapshot's cost. It reads like
 * a plain data property (enumerable, the same value every time).
 */
function withLazyDependencies(snapshot: Snapshot, build: () => Snapshot['dependencies']): Snapshot {
  let built: Snapshot['dependencies'] | undefined;
  const out = { ...snapshot };
  Object.defineProperty(out, 'dependencies', { enumerable: true, get: () => (built ??= build()) });
  return out;
}

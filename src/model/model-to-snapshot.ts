/**
 * A model as a {@link Snapshot}: the data every other part of Retort works on, so that the
 * model is built through the same diff -> operations -> render path as a revision.
 */
import { ConfigError } from '../errors';
import { generatedLabel, isGeneratedName, nameAddition } from '../schema/generated-names';
import { objectKey } from '../schema/object-key';
import type { Column, Constraint, Index, Routine, Sequence, Snapshot, Table, View } from '../schema/snapshot';
import { defaultGrants } from '../schema/snapshot';
import { quoteIdent, quoteLiteral } from '../schema/sql-text';
import { expressionText } from './compile-sql';
import type { IndexNode } from './index-def';
import { completeModel, type AnyModel } from './model';
import { applyGrants, snapshotRole } from './model-grants';
import { modelDependencies, type ModelKeys } from './model-dependencies';
import {
  checkText,
  collationText,
  columnTypeText,
  exclusionText,
  foreignKeyText,
  indexDefinitionText,
  ownName,
  primaryKeyText,
  routineDefinitionText,
  routineSignature,
  sequenceOptions,
  uniqueText,
} from './snapshot-texts';
import type { TableColumnNode, TableNode } from './table';
import { implicitSequenceName, validateModel } from './validate-model';

const ENABLED = { origin: 'O', disabled: 'D', replica: 'R', always: 'A' } as const;

function columnOf(table: TableNode, c: TableColumnNode): Column {
  const what = `column ${table.name}.${c.name}`;
  const type = c.dataType;
  let dflt = c.default === undefined ? null : expressionText(c.default, `the default of ${what}`);
  if (type.kind === 'serial') dflt = `nextval('${ownName(implicitSequenceName(table.name, c.name)).replace(/'/g, "''")}'::regclass)`;
  const identity = c.identity
    ? {
        generation: c.identity.generation,
        sequenceName: c.identity.options.sequenceName ?? implicitSequenceName(table.name, c.name),
        ...sequenceOptions(columnTypeText(type), c.identity.options, `the identity of ${what}`),
      }
    : null;
  return {
    name: c.name,
    type: columnTypeText(type),
    enumType: type.kind === 'enum',
    collation: c.collation === undefined ? null : collationText(c.collation),
    notNull: !c.nullable,
    default: dflt,
    identity,
    generated: c.generated === undefined ? null : expressionText(c.generated, `the expression of ${what}`),
    inherited: c.inherited !== undefined,
    local: c.inherited !== 'only',
    comment: c.comment ?? null,
    grants: defaultGrants,
  };
}

function constraintsOf(t: TableNode): Constraint[] {
  const out: Constraint[] = [];
  const add = (
    name: string,
    kind: Constraint['kind'],
    definition: string,
    columns: readonly string[],
    comment: string | undefined,
    extra: Partial<Constraint> = {},
  ) => {
    const name2 = kind === 'primary key' ? null : kind === 'check' ? (columns.length === 1 ? columns[0]! : null) : nameAddition(columns);
    out.push({
      name,
      kind,
      definition,
      columns,
      references: null,
      generatedName: isGeneratedName(name, t.name, name2, generatedLabel[kind]),
      attachedTo: null,
      comment: comment ?? null,
      ...extra,
    });
  };
  if (t.primaryKey) add(t.primaryKey.name, 'primary key', primaryKeyText(t.primaryKey), t.primaryKey.columns, t.primaryKey.comment);
  for (const u of t.uniques) add(u.name, 'unique', uniqueText(u), u.columns, u.comment);
  for (const c of t.checks) add(c.name, 'check', checkText(c.expression, c, `check ${c.name}`), c.columns ?? [], c.comment);
  for (const x of t.exclusions ?? []) {
    add(
      x.name,
      'exclude',
      exclusionText(x),
      x.elements.flatMap((e) => ('column' in e ? [e.column] : [])),
      x.comment,
    );
  }
  for (const fk of t.foreignKeys) {
    const references = { schema: fk.references.schema ?? null, name: fk.references.table };
    add(fk.name, 'foreign key', foreignKeyText(fk), fk.columns, fk.comment, { references });
  }
  for (const c of t.constraints ?? []) {
    const definition = expressionText(c.definition, `constraint ${c.name}`);
    add(c.name, rawConstraintKind(definition, `constraint ${c.name} of table ${t.name}`), definition, [], c.comment);
  }
  return out;
}

function rawConstraintKind(definition: string, what: string): Constraint['kind'] {
  const head = definition.trimStart().toUpperCase();
  if (head.startsWith('PRIMARY KEY')) return 'primary key';
  if (head.startsWith('UNIQUE')) return 'unique';
  if (head.startsWith('FOREIGN KEY')) return 'foreign key';
  if (head.startsWith('CHECK')) return 'check';
  if (head.startsWith('EXCLUDE')) return 'exclude';
  throw new ConfigError('MODEL_BAD_CALL', `The SQL of ${what} starts with none of PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE.`);
}

function indexOf(on: string, i: IndexNode): Index {
  const columns = i.elements.map((e) => ('column' in e ? e.column : 'expr'));
  return {
    name: i.name,
    unique: i.unique ?? false,
    only: i.only ?? false,
    definition: indexDefinitionText(i),
    columns,
    generatedName: isGeneratedName(i.name, on, nameAddition(columns), generatedLabel.index),
    attachedTo: null,
    comment: i.comment ?? null,
  };
}

function tableOf(t: TableNode): Table {
  const partitionKey = t.partitionBy
    ? `${t.partitionBy.strategy.toUpperCase()} (${t.partitionBy.keys.map((k) => (typeof k === 'string' ? quoteIdent(k) : expressionText(k, `the partition key of ${t.name}`))).join(', ')})`
    : null;
  return {
    name: t.name,
    persistence: t.unlogged ? 'unlogged' : 'logged',
    partitionKey,
    partitionOf: t.partitionOf
      ? { parent: { schema: null, name: t.partitionOf.parent }, bound: expressionText(t.partitionOf.bound, `the partition bound of ${t.name}`) }
      : null,
    inherits: (t.inherits ?? []).map((p) => ({ schema: p.schema ?? null, name: p.table })),
    columns: t.columns.map((c) => columnOf(t, c)),
    constraints: constraintsOf(t),
    indexes: t.indexes.map((i) => indexOf(t.name, i)),
    rowSecurity: t.rowLevelSecurity !== undefined,
    forceRowSecurity: t.rowLevelSecurity?.force ?? false,
    options: [...(t.options ?? [])],
    replicaIdentity: 'default',
    comment: t.comment ?? null,
    grants: defaultGrants,
    owner: t.owner ?? null,
  };
}

/** The sequences serial columns make for themselves. */
function serialSequences(t: TableNode): Sequence[] {
  return t.columns.flatMap((c) => {
    if (c.dataType.kind !== 'serial' || c.inherited !== undefined) return [];
    const name = implicitSequenceName(t.name, c.name);
    return [
      {
        name,
        ...sequenceOptions(c.dataType.type, {}, `sequence ${name}`),
        ownedBy: { table: t.name, column: c.name },
        comment: null,
        grants: defaultGrants,
        owner: null,
      },
    ];
  });
}

function routineOf(fn: AnyModel['functions'][number]): Routine {
  const signature = routineSignature(fn);
  return {
    name: fn.name,
    kind: fn.kind ?? 'function',
    ...signature,
    language: fn.language,
    privileged: fn.privileged,
    volatility: fn.volatility,
    strict: fn.strict,
    securityDefiner: fn.securityDefiner,
    definition: routineDefinitionText({ ...fn, kind: fn.kind ?? 'function' }),
    comment: fn.comment ?? null,
    grants: defaultGrants,
    owner: fn.owner ?? null,
  };
}

/**
 * Turns a model into the {@link Snapshot} it builds. Pure: no database. Texts are as the model
 * writes them (types, defaults, bodies), with the own schema as the sentinels of
 * `own-schema.ts`; they are for building (`diffSnapshots(emptySnapshot, snapshot)`), not for
 * comparing with a schema read from the catalog. `dependencies` order what the diff's phases
 * alone would not: views after the views they read, triggers after their function, columns
 * after their types, foreign keys after the table they reference.
 *
 * @example
 * ```ts
 * const ops = diffSnapshots(emptySnapshot, modelToSnapshot(model));
 * renderSql(ops, { schema: 'crmp' }); // CREATE TABLE "crmp"."meta_network" (...); ...
 * ```
 * @throws ConfigError `INVALID_MODEL` listing every problem, or `MODEL_*` for a bad expression.
 */
export function modelToSnapshot(input: AnyModel): Snapshot {
  const model = completeModel(input);
  const problems = validateModel(model);
  if (problems.length > 0) throw new ConfigError('INVALID_MODEL', `The model is invalid: ${problems.join('; ')}.`);
  const tables = model.tables.map((t) => tableOf(t.node));
  const views: View[] = [...model.views, ...model.materializedViews].map((v) => ({
    name: v.name,
    materialized: v.node.kind === 'materialized view',
    definition: expressionText(v.node.body, `${v.node.kind} ${v.name}`),
    columns: v.node.columns.map((c) => ({ name: c.name, type: c.type ?? '', collation: null, comment: c.comment ?? null })),
    options: [...(v.node.options ?? [])],
    indexes: v.node.indexes.map((i) => indexOf(v.name, i)),
    comment: v.node.comment ?? null,
    grants: defaultGrants,
    owner: v.node.owner ?? null,
  }));
  const sequences: Sequence[] = [
    ...model.sequences.map((s) => ({
      name: s.name,
      ...sequenceOptions(s.as ?? 'bigint', s, `sequence ${s.name}`),
      ownedBy: s.ownedBy ? { table: s.ownedBy.table, column: s.ownedBy.column } : null,
      comment: s.comment ?? null,
      grants: defaultGrants,
      owner: s.owner ?? null,
    })),
    ...model.tables.flatMap((t) => serialSequences(t.node)),
  ];
  const routines = model.functions.map(routineOf);
  const routineKeys = new Map<string, string[]>();
  for (const r of routines) routineKeys.set(r.name, [...(routineKeys.get(r.name) ?? []), objectKey.routine(r.name, r.argumentTypes)]);
  const triggers = model.triggers.map((t) => {
    const timing = t.timing.toUpperCase();
    const order = ['insert', 'delete', 'update', 'truncate'] as const;
    const events = order
      .filter((e) => t.events.includes(e))
      .map((e) => (e === 'update' && t.updateOf && t.updateOf.length > 0 ? `UPDATE OF ${t.updateOf.map(quoteIdent).join(', ')}` : e.toUpperCase()))
      .join(' OR ');
    return {
      name: t.name,
      table: t.table,
      constraint: t.constraint !== undefined,
      events: `${timing} ${events}`,
      body: triggerBody(t),
      enabled: ENABLED[t.enabled ?? 'origin'],
      comment: t.comment ?? null,
    };
  });
  const snapshot: Snapshot = {
    extensions: model.extensions.map((x) => ({ name: x.name, version: x.version ?? '', schema: x.schema ?? null, privileged: x.privileged })),
    collations: model.collations.map((c) => ({
      name: c.name,
      provider: c.provider,
      lcCollate: c.provider === 'libc' ? (c.lcCollate ?? c.locale ?? null) : null,
      lcCtype: c.provider === 'libc' ? (c.lcCtype ?? c.locale ?? null) : null,
      locale: c.provider === 'libc' ? null : (c.locale ?? null),
      deterministic: c.deterministic ?? true,
      comment: c.comment ?? null,
    })),
    enums: model.enums.map((e) => ({ name: e.name, labels: [...e.labels], comment: e.comment ?? null, grants: defaultGrants, owner: e.owner ?? null })),
    domains: model.domains.map((d) => ({
      name: d.name,
      baseType: d.baseType,
      notNull: d.notNull ?? false,
      default: d.default === undefined ? null : expressionText(d.default, `the default of domain ${d.name}`),
      collation: d.collation === undefined ? null : collationText(d.collation),
      constraints: (d.checks ?? []).map((c) => ({ name: c.name, definition: checkText(c.expression, c, `check ${c.name} of domain ${d.name}`) })),
      comment: d.comment ?? null,
      grants: defaultGrants,
      owner: d.owner ?? null,
    })),
    sequences,
    tables,
    views,
    routines,
    triggers,
    policies: model.policies.map((p) => ({
      name: p.name,
      table: p.table,
      permissive: p.as !== 'restrictive',
      command: (p.for ?? 'all').toUpperCase(),
      roles: (p.to ?? ['PUBLIC']).map(snapshotRole),
      using: p.using === undefined ? null : expressionText(p.using, `the USING of policy ${p.name}`),
      withCheck: p.withCheck === undefined ? null : expressionText(p.withCheck, `the WITH CHECK of policy ${p.name}`),
      comment: p.comment ?? null,
    })),
    dependencies: [],
  };
  const keys: ModelKeys = { routines: routineKeys };
  const granted = applyGrants(snapshot, model);
  return { ...granted, dependencies: modelDependencies(model, granted, keys) };
}

function triggerBody(t: AnyModel['triggers'][number]): string {
  const parts: string[] = [];
  if (t.constraint) {
    const from = t.constraint.from;
    if (from !== undefined) parts.push(`FROM ${typeof from === 'string' ? ownName(from) : `${quoteIdent(from.schema)}.${quoteIdent(from.table)}`}`);
    parts.push(
      `${t.constraint.deferrable || t.constraint.initiallyDeferred ? '' : 'NOT '}DEFERRABLE INITIALLY ${t.constraint.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`,
    );
  }
  if (t.referencing) {
    const r: string[] = [];
    if (t.referencing.oldTable !== undefined) r.push(`OLD TABLE AS ${quoteIdent(t.referencing.oldTable)}`);
    if (t.referencing.newTable !== undefined) r.push(`NEW TABLE AS ${quoteIdent(t.referencing.newTable)}`);
    parts.push(`REFERENCING ${r.join(' ')}`);
  }
  parts.push(`FOR EACH ${t.forEach.toUpperCase()}`);
  if (t.when !== undefined) parts.push(`WHEN (${expressionText(t.when, `the WHEN of trigger ${t.name}`)})`);
  const fn = typeof t.function === 'string' ? ownName(t.function) : `${quoteIdent(t.function.schema)}.${quoteIdent(t.function.name)}`;
  const args = (t.args ?? []).map(quoteLiteral).join(', ');
  parts.push(`EXECUTE FUNCTION ${fn}(${args})`);
  return parts.join(' ');
}

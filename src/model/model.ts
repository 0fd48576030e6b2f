import { ConfigError } from '../errors';
import type { EnumTypeNode } from './enum-type';
import type { FunctionNode } from './function-def';
import type { GrantNode } from './grant';
import type { SequenceNode } from './sequence';
import type { AnyTable } from './table';
import type { TriggerNode } from './trigger';
import type { AnyView } from './view';

/**
 * A whole schema's worth of objects, schema-agnostic: the schema is chosen when
 * rendering ({@link renderModelDdl}) or building ({@link createAll}).
 */
export interface Model<
  Tables extends readonly AnyTable[] = readonly AnyTable[],
  Views extends readonly AnyView[] = readonly AnyView[],
  MaterializedViews extends readonly AnyView[] = readonly AnyView[],
> {
  readonly tables: Tables;
  readonly views: Views;
  readonly materializedViews: MaterializedViews;
  readonly enums: readonly EnumTypeNode[];
  readonly sequences: readonly SequenceNode[];
  /** In creation order: a SQL function's body is checked at creation, so what it calls comes first. */
  readonly functions: readonly FunctionNode[];
  readonly triggers: readonly TriggerNode[];
  readonly grants: readonly GrantNode[];
}

/** Any model. */
export type AnyModel = Model<readonly AnyTable[], readonly AnyView[], readonly AnyView[]>;

/** What {@link defineModel} takes; everything but tables is optional. */
export interface ModelDefinition<Tables, Views, MaterializedViews> {
  readonly tables: Tables;
  readonly views?: Views;
  readonly materializedViews?: MaterializedViews;
  readonly enums?: readonly EnumTypeNode[];
  readonly sequences?: readonly SequenceNode[];
  readonly functions?: readonly FunctionNode[];
  readonly triggers?: readonly TriggerNode[];
  readonly grants?: readonly GrantNode[];
}

/**
 * Defines a model and checks it: unique names, references to existing tables
 * and columns, trigger functions, grant targets. Every problem is reported at once.
 *
 * @example
 * ```ts
 * export const crmp = defineModel({ tables: [metaNetwork, metaStation], views: [historyStationNetwork] });
 * export type CrmpDatabase = DatabaseOf<typeof crmp>;
 * ```
 * @throws ConfigError `INVALID_MODEL` listing every problem.
 */
export function defineModel<
  const Tables extends readonly AnyTable[],
  const Views extends readonly AnyView[] = readonly [],
  const MaterializedViews extends readonly AnyView[] = readonly [],
>(definition: ModelDefinition<Tables, Views, MaterializedViews>): Model<Tables, Views, MaterializedViews> {
  const model: Model<Tables, Views, MaterializedViews> = Object.freeze({
    tables: definition.tables,
    views: definition.views ?? ([] as unknown as Views),
    materializedViews: definition.materializedViews ?? ([] as unknown as MaterializedViews),
    enums: definition.enums ?? [],
    sequences: definition.sequences ?? [],
    functions: definition.functions ?? [],
    triggers: definition.triggers ?? [],
    grants: definition.grants ?? [],
  });
  const problems = validateModel(model);
  if (problems.length > 0) {
    throw new ConfigError('INVALID_MODEL', `The model is invalid: ${problems.join('; ')}.`);
  }
  return model;
}

const MAX_IDENTIFIER_BYTES = 63;

/** Lists what is wrong with a model (empty when it is sound). Pure. */
export function validateModel(model: AnyModel): string[] {
  const problems: string[] = [];
  const relations = new Map<string, string>();
  const claim = (name: string, what: string): void => {
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) problems.push(`${what} has a name longer than 63 bytes`);
    const previous = relations.get(name);
    if (previous) problems.push(`${what} has the same name as ${previous}`);
    else relations.set(name, what);
  };
  const tables = new Map(model.tables.map((t) => [t.name, t.node]));
  const enums = new Set(model.enums.map((e) => e.name));
  for (const e of model.enums) claim(e.name, `enum ${e.name}`);
  for (const s of model.sequences) claim(s.name, `sequence ${s.name}`);
  for (const t of model.tables) {
    const node = t.node;
    claim(node.name, `table ${node.name}`);
    const columns = new Set(node.columns.map((c) => c.name));
    const needColumns = (cols: readonly string[], what: string): void => {
      for (const c of cols) if (!columns.has(c)) problems.push(`${what} names column ${c}, which table ${node.name} does not have`);
    };
    for (const c of node.columns) {
      if (c.dataType.kind === 'enum' && !enums.has(c.dataType.name)) {
        problems.push(`column ${node.name}.${c.name} is of enum ${c.dataType.name}, which the model does not define`);
      }
      if (c.dataType.kind === 'builtin' && /^(big)?serial$/.test(c.dataType.sql)) claim(`${node.name}_${c.name}_seq`, `the sequence of ${node.name}.${c.name}`);
      if (c.identity) claim(`${node.name}_${c.name}_seq`, `the identity sequence of ${node.name}.${c.name}`);
    }
    if (node.primaryKey) {
      claim(node.primaryKey.name, `primary key ${node.primaryKey.name}`);
      needColumns(node.primaryKey.columns, `primary key ${node.primaryKey.name}`);
    }
    for (const u of node.uniques) {
      claim(u.name, `unique constraint ${u.name}`);
      needColumns(u.columns, `unique constraint ${u.name}`);
    }
    for (const i of node.indexes) {
      claim(i.name, `index ${i.name}`);
      needColumns(i.elements.flatMap((e) => ('column' in e ? [e.column] : [])), `index ${i.name}`);
      needColumns(i.include ?? [], `index ${i.name}`);
    }
    const constraintNames = new Set<string>();
    for (const c of [...node.foreignKeys, ...node.checks, ...node.uniques, ...(node.primaryKey ? [node.primaryKey] : [])]) {
      if (constraintNames.has(c.name)) problems.push(`table ${node.name} has two constraints named ${c.name}`);
      constraintNames.add(c.name);
      if (Buffer.byteLength(c.name) > MAX_IDENTIFIER_BYTES) problems.push(`constraint ${c.name} has a name longer than 63 bytes`);
    }
    for (const fk of node.foreignKeys) {
      needColumns(fk.columns, `foreign key ${fk.name}`);
      const target = tables.get(fk.references.table);
      if (!target) {
        problems.push(`foreign key ${fk.name} references table ${fk.references.table}, which the model does not define`);
      } else {
        const targetColumns = new Set(target.columns.map((c) => c.name));
        for (const c of fk.references.columns) {
          if (!targetColumns.has(c)) problems.push(`foreign key ${fk.name} references ${fk.references.table}.${c}, which does not exist`);
        }
      }
      if (fk.columns.length !== fk.references.columns.length) problems.push(`foreign key ${fk.name} has as many columns as it references`);
    }
  }
  const viewNames = new Set<string>();
  for (const v of [...model.views, ...model.materializedViews]) {
    claim(v.name, `${v.node.kind} ${v.name}`);
    viewNames.add(v.name);
    for (const i of v.node.indexes) claim(i.name, `index ${i.name}`);
  }
  for (const v of [...model.views, ...model.materializedViews]) {
    for (const d of v.node.dependsOn) if (!viewNames.has(d)) problems.push(`${v.node.kind} ${v.name} depends on ${d}, which is not a view of the model`);
  }
  for (const s of model.sequences) {
    if (s.ownedBy && !tables.get(s.ownedBy.table)?.columns.some((c) => c.name === s.ownedBy?.column)) {
      problems.push(`sequence ${s.name} is owned by ${s.ownedBy.table}.${s.ownedBy.column}, which does not exist`);
    }
  }
  const functions = new Map<string, FunctionNode[]>();
  for (const f of model.functions) functions.set(f.name, [...(functions.get(f.name) ?? []), f]);
  for (const t of model.triggers) {
    if (!tables.has(t.table) && !viewNames.has(t.table)) problems.push(`trigger ${t.name} is on ${t.table}, which the model does not define`);
    const fns = functions.get(t.function) ?? [];
    if (!fns.some((f) => f.returns === 'trigger' && f.args.length === 0)) {
      problems.push(`trigger ${t.name} executes ${t.function}, which is not a trigger function of the model`);
    }
  }
  for (const g of model.grants) {
    if ('table' in g.on && !tables.has(g.on.table) && !viewNames.has(g.on.table)) problems.push(`a grant is on ${g.on.table}, which the model does not define`);
    if ('sequence' in g.on && !model.sequences.some((s) => 'sequence' in g.on && s.name === g.on.sequence)) {
      problems.push(`a grant is on sequence ${g.on.sequence}, which the model does not define`);
    }
    if ('function' in g.on && (functions.get(g.on.function)?.length ?? 0) !== 1) {
      problems.push(`a grant is on function ${g.on.function}, which the model defines ${functions.get(g.on.function)?.length ?? 0} times (need exactly 1)`);
    }
  }
  return problems;
}

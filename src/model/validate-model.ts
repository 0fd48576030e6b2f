import { makeObjectName } from '../schema/generated-names';
import type { FunctionNode } from './function-def';
import type { GrantNode } from './grant';
import type { AnyModel } from './model';
import type { TableNode } from './table';

const MAX_IDENTIFIER_BYTES = 63;

/** The input argument types of a function as a grant names them: `integer, text[]`. */
export function inputTypesText(fn: FunctionNode): string {
  return fn.args
    .filter((a) => a.mode !== 'out')
    .map((a) => (typeof a.type === 'string' ? a.type : '?'))
    .join(', ');
}

/** The functions a grant or trigger names: by name, and by argument types when given. */
export function functionsNamed(model: AnyModel, name: string, args?: string): FunctionNode[] {
  return model.functions.filter((f) => f.name === name && (args === undefined || inputTypesText(f) === args));
}

/** The sequence a serial or identity column makes. */
export function implicitSequenceName(table: string, column: string): string {
  return makeObjectName(table, column, 'seq');
}

/** Lists what is wrong with a model (empty when it is sound). Pure. */
export function validateModel(model: AnyModel): string[] {
  const problems: string[] = [];
  const relations = new Map<string, string>();
  const long = (name: string, what: string) => {
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) problems.push(`${what} has a name longer than 63 bytes`);
  };
  const claim = (name: string, what: string): void => {
    long(name, what);
    const previous = relations.get(name);
    if (previous) problems.push(`${what} has the same name as ${previous}`);
    else relations.set(name, what);
  };
  const tables = new Map(model.tables.map((t) => [t.name, t.node]));
  const enums = new Set((model.enums ?? []).map((e) => e.name));
  const domains = new Set((model.domains ?? []).map((d) => d.name));
  for (const e of model.enums ?? []) claim(e.name, `enum ${e.name}`);
  for (const d of model.domains ?? []) claim(d.name, `domain ${d.name}`);
  for (const s of model.sequences ?? []) claim(s.name, `sequence ${s.name}`);
  for (const t of model.tables) validateTable(t.node, tables, { enums, domains }, claim, problems);
  const viewNames = new Set<string>();
  for (const v of [...model.views, ...model.materializedViews]) {
    claim(v.name, `${v.node.kind} ${v.name}`);
    viewNames.add(v.name);
    for (const i of v.node.indexes) claim(i.name, `index ${i.name}`);
  }
  for (const v of [...model.views, ...model.materializedViews]) {
    for (const d of v.node.dependsOn) if (!viewNames.has(d)) problems.push(`${v.node.kind} ${v.name} depends on ${d}, which is not a view of the model`);
  }
  for (const s of model.sequences ?? []) {
    if (s.ownedBy && !tables.get(s.ownedBy.table)?.columns.some((c) => c.name === s.ownedBy?.column)) {
      problems.push(`sequence ${s.name} is owned by ${s.ownedBy.table}.${s.ownedBy.column}, which does not exist`);
    }
  }
  const known = new Set([...tables.keys(), ...viewNames, ...enums, ...domains]);
  for (const f of model.functions) {
    long(f.name, `${f.kind ?? 'function'} ${f.name}`);
    for (const d of f.dependsOn ?? []) if (!known.has(d)) problems.push(`${f.kind ?? 'function'} ${f.name} depends on ${d}, which the model does not define`);
  }
  for (const t of model.triggers) {
    long(t.name, `trigger ${t.name}`);
    if (!tables.has(t.table) && !viewNames.has(t.table)) problems.push(`trigger ${t.name} is on ${t.table}, which the model does not define`);
    if (typeof t.function === 'string' && !functionsNamed(model, t.function).some((f) => f.returns === 'trigger' && f.args.length === 0)) {
      problems.push(`trigger ${t.name} executes ${t.function}, which is not a trigger function of the model`);
    }
  }
  for (const p of model.policies ?? []) {
    long(p.name, `policy ${p.name}`);
    if (!tables.has(p.table)) problems.push(`policy ${p.name} is on ${p.table}, which is not a table of the model`);
  }
  for (const g of model.grants) validateGrant(model, g, tables, viewNames, problems);
  return problems;
}

function validateTable(
  node: TableNode,
  tables: ReadonlyMap<string, TableNode>,
  types: { enums: ReadonlySet<string>; domains: ReadonlySet<string> },
  claim: (name: string, what: string) => void,
  problems: string[],
): void {
  claim(node.name, `table ${node.name}`);
  const columns = new Set(node.columns.map((c) => c.name));
  const needColumns = (cols: readonly string[], what: string): void => {
    for (const c of cols) if (!columns.has(c)) problems.push(`${what} names column ${c}, which table ${node.name} does not have`);
  };
  for (const c of node.columns) {
    const type = c.dataType;
    if (type.kind === 'enum' && !types.enums.has(type.name))
      problems.push(`column ${node.name}.${c.name} is of enum ${type.name}, which the model does not define`);
    if (type.kind === 'domain' && !types.domains.has(type.name))
      problems.push(`column ${node.name}.${c.name} is of domain ${type.name}, which the model does not define`);
    if (type.kind === 'serial') claim(implicitSequenceName(node.name, c.name), `the sequence of ${node.name}.${c.name}`);
    if (c.identity) claim(c.identity.options.sequenceName ?? implicitSequenceName(node.name, c.name), `the identity sequence of ${node.name}.${c.name}`);
  }
  const constraintNames = new Set<string>();
  const constraint = (name: string) => {
    if (constraintNames.has(name)) problems.push(`table ${node.name} has two constraints named ${name}`);
    constraintNames.add(name);
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) problems.push(`constraint ${name} has a name longer than 63 bytes`);
  };
  if (node.primaryKey) {
    claim(node.primaryKey.name, `primary key ${node.primaryKey.name}`);
    needColumns([...node.primaryKey.columns, ...(node.primaryKey.include ?? [])], `primary key ${node.primaryKey.name}`);
  }
  for (const u of node.uniques) {
    claim(u.name, `unique constraint ${u.name}`);
    needColumns([...u.columns, ...(u.include ?? [])], `unique constraint ${u.name}`);
  }
  for (const x of node.exclusions ?? []) {
    claim(x.name, `exclusion constraint ${x.name}`);
    needColumns(
      x.elements.flatMap((e) => ('column' in e ? [e.column] : [])),
      `exclusion constraint ${x.name}`,
    );
  }
  for (const i of node.indexes) {
    claim(i.name, `index ${i.name}`);
    needColumns(
      i.elements.flatMap((e) => ('column' in e ? [e.column] : [])),
      `index ${i.name}`,
    );
    needColumns(i.include ?? [], `index ${i.name}`);
  }
  for (const c of [
    ...node.foreignKeys,
    ...node.checks,
    ...node.uniques,
    ...(node.exclusions ?? []),
    ...(node.constraints ?? []),
    ...(node.primaryKey ? [node.primaryKey] : []),
  ]) {
    constraint(c.name);
  }
  for (const fk of node.foreignKeys) {
    needColumns(fk.columns, `foreign key ${fk.name}`);
    if (fk.columns.length !== fk.references.columns.length) problems.push(`foreign key ${fk.name} has as many columns as it references`);
    if (fk.references.schema !== undefined) continue;
    const target = tables.get(fk.references.table);
    if (!target) {
      problems.push(`foreign key ${fk.name} references table ${fk.references.table}, which the model does not define`);
      continue;
    }
    const targetColumns = new Set(target.columns.map((c) => c.name));
    for (const c of fk.references.columns)
      if (!targetColumns.has(c)) problems.push(`foreign key ${fk.name} references ${fk.references.table}.${c}, which does not exist`);
  }
  if (node.partitionBy)
    needColumns(
      node.partitionBy.keys.filter((k): k is string => typeof k === 'string'),
      `the partition key of ${node.name}`,
    );
  if (node.partitionOf) {
    const parent = tables.get(node.partitionOf.parent);
    if (!parent) problems.push(`table ${node.name} is a partition of ${node.partitionOf.parent}, which the model does not define`);
    else if (!parent.partitionBy) problems.push(`table ${node.name} is a partition of ${node.partitionOf.parent}, which is not partitioned (partitionBy)`);
  }
  for (const p of node.inherits ?? []) {
    if (p.schema === undefined && !tables.has(p.table)) problems.push(`table ${node.name} inherits from ${p.table}, which the model does not define`);
  }
}

function validateGrant(model: AnyModel, g: GrantNode, tables: ReadonlyMap<string, TableNode>, views: ReadonlySet<string>, problems: string[]): void {
  const what = `a ${g.action ?? 'grant'}`;
  const on = g.on;
  if ('table' in on) {
    const table = tables.get(on.table);
    if (!table && !views.has(on.table)) problems.push(`${what} is on ${on.table}, which the model does not define`);
    if (on.columns) {
      if (g.action === 'revoke') problems.push(`${what} is on columns of ${on.table}: columns have no default privileges to revoke`);
      const columns = new Set(table?.columns.map((c) => c.name) ?? []);
      for (const c of on.columns) if (table && !columns.has(c)) problems.push(`${what} is on column ${on.table}.${c}, which does not exist`);
    }
  } else if ('sequence' in on) {
    if (!(model.sequences ?? []).some((s) => s.name === on.sequence)) problems.push(`${what} is on sequence ${on.sequence}, which the model does not define`);
  } else if ('function' in on) {
    const n = functionsNamed(model, on.function, on.args).length;
    if (n !== 1)
      problems.push(`${what} is on function ${on.function}${on.args === undefined ? '' : `(${on.args})`}, which the model defines ${n} times (need exactly 1)`);
  } else if (!(model.enums ?? []).some((e) => e.name === on.type) && !(model.domains ?? []).some((d) => d.name === on.type)) {
    problems.push(`${what} is on type ${on.type}, which the model does not define`);
  }
}

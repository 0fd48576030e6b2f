import { sql, type RawBuilder } from 'kysely';
import { ConfigError } from '../errors';
import { compileSql } from './compile-sql';
import type { FunctionNode } from './function-def';
import type { GrantNode } from './grant';
import type { AnyModel } from './model';
import { renderCreateFunction, renderCreateTrigger, renderFunctionIdentity } from './render-routine';
import { renderCreateIndex, renderCreateTable, renderForeignKey } from './render-table';
import { resolveExpression, schemaScope, type SchemaScope } from './schema-scope';
import type { SequenceNode } from './sequence';
import type { AnyView } from './view';

/** The phases of {@link renderModelDdl}, in the order they run. */
export const DDL_PHASES = [
  'enums',
  'sequences',
  'tables',
  'constraints',
  'functions',
  'views',
  'indexes',
  'triggers',
  'comments',
  'grants',
] as const;

export type DdlPhase = (typeof DDL_PHASES)[number];

/** One DDL statement of a model, for one schema. */
export interface Statement {
  readonly phase: DdlPhase;
  /** What it creates, for logs and errors: `table meta_station`. */
  readonly object: string;
  readonly sql: string;
  /** Must run as the privileged role (`asSuperuser`). */
  readonly superuser: boolean;
}

/**
 * Renders the DDL that builds `model` in `schema`, in dependency order: enums,
 * sequences, tables, foreign keys, functions, views and materialized views (in
 * `dependsOn` order), indexes, triggers, comments, grants. Pure: no database.
 *
 * @example
 * ```ts
 * renderModelDdl(crmp, 'crmp_test').map((s) => s.sql);
 * // ['create type "crmp_test"."climo_station_type" as enum (...)', 'create sequence "crmp_test"."obs_raw_id_seq" as bigint', ...]
 * ```
 */
export function renderModelDdl(model: AnyModel, schema: string): Statement[] {
  const s = schemaScope(schema);
  const out: Statement[] = [];
  const add = (phase: DdlPhase, object: string, builder: RawBuilder<unknown>, superuser = false): void => {
    out.push({ phase, object, sql: compileSql(builder, object), superuser });
  };
  const functionsByName = new Map(model.functions.map((f) => [f.name, f]));

  for (const e of model.enums) {
    add('enums', `enum ${e.name}`, sql`create type ${s(e.name)} as enum (${sql.join(e.labels.map((l) => sql.lit(l)))})`);
  }
  for (const q of model.sequences) add('sequences', `sequence ${q.name}`, renderCreateSequence(q, s));
  for (const t of model.tables) add('tables', `table ${t.name}`, renderCreateTable(t.node, s));
  for (const t of model.tables) {
    for (const fk of t.node.foreignKeys) add('constraints', `foreign key ${fk.name}`, renderForeignKey(t.name, fk, s));
  }
  for (const q of model.sequences) {
    if (q.ownedBy) {
      add('constraints', `sequence ${q.name}`, sql`alter sequence ${s(q.name)} owned by ${sql.id(schema, q.ownedBy.table, q.ownedBy.column)}`);
    }
  }
  for (const f of model.functions) add('functions', `function ${f.name}`, renderCreateFunction(f, s), f.privileged);
  for (const v of orderViews([...model.views, ...model.materializedViews])) {
    const body = resolveExpression(v.node.body, s);
    if (v.node.kind === 'view') {
      add('views', `view ${v.name}`, sql`create view ${s(v.name)} as ${body}`);
    } else {
      add('views', `materialized view ${v.name}`, sql`create materialized view ${s(v.name)} as ${body}${sql.raw(v.node.withData === false ? ' with no data' : '')}`);
    }
  }
  for (const i of [...model.tables, ...model.materializedViews].flatMap((r) => r.node.indexes)) {
    add('indexes', `index ${i.name}`, renderCreateIndex(i, s));
  }
  for (const t of model.triggers) add('triggers', `trigger ${t.name}`, renderCreateTrigger(t, s));

  const comment = (object: string, target: RawBuilder<unknown>, text: string | undefined, superuser = false): void => {
    if (text !== undefined) add('comments', `comment on ${object}`, sql`comment on ${target} is ${sql.lit(text)}`, superuser);
  };
  for (const e of model.enums) comment(`type ${e.name}`, sql`type ${s(e.name)}`, e.comment);
  for (const q of model.sequences) comment(`sequence ${q.name}`, sql`sequence ${s(q.name)}`, q.comment);
  for (const t of model.tables) {
    comment(`table ${t.name}`, sql`table ${s(t.name)}`, t.node.comment);
    for (const c of t.node.columns) comment(`column ${t.name}.${c.name}`, sql`column ${sql.id(schema, t.name, c.name)}`, c.comment);
  }
  for (const v of [...model.views, ...model.materializedViews]) {
    comment(`${v.node.kind} ${v.name}`, sql`${sql.raw(v.node.kind)} ${s(v.name)}`, v.node.comment);
  }
  for (const i of [...model.tables, ...model.materializedViews].flatMap((r) => r.node.indexes)) {
    comment(`index ${i.name}`, sql`index ${s(i.name)}`, i.comment);
  }
  for (const f of model.functions) comment(`function ${f.name}`, sql`function ${renderFunctionIdentity(f, s)}`, f.comment, f.privileged);
  for (const t of model.triggers) comment(`trigger ${t.name}`, sql`trigger ${sql.id(t.name)} on ${s(t.table)}`, t.comment);

  for (const g of model.grants) {
    const fn = 'function' in g.on ? functionsByName.get(g.on.function) : undefined;
    add('grants', `grant on ${describeTarget(g)}`, renderGrant(g, s, fn), fn?.privileged ?? false);
  }
  return out;
}

function renderCreateSequence(q: SequenceNode, s: SchemaScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`create sequence ${s(q.name)}`];
  if (q.as) parts.push(sql.raw(`as ${q.as}`));
  if (q.increment !== undefined) parts.push(sql`increment by ${sql.lit(q.increment)}`);
  if (q.minValue !== undefined) parts.push(sql`minvalue ${sql.lit(q.minValue)}`);
  if (q.maxValue !== undefined) parts.push(sql`maxvalue ${sql.lit(q.maxValue)}`);
  if (q.start !== undefined) parts.push(sql`start with ${sql.lit(q.start)}`);
  if (q.cache !== undefined) parts.push(sql`cache ${sql.lit(q.cache)}`);
  if (q.cycle) parts.push(sql`cycle`);
  return sql.join(parts, sql` `);
}

function describeTarget(g: GrantNode): string {
  if ('table' in g.on) return g.on.table;
  if ('sequence' in g.on) return `sequence ${g.on.sequence}`;
  return `function ${g.on.function}`;
}

function renderGrant(g: GrantNode, s: SchemaScope, fn: FunctionNode | undefined): RawBuilder<unknown> {
  const privileges = sql.raw(g.privileges.map((p) => (p === 'all' ? 'all privileges' : p)).join(', '));
  let target: RawBuilder<unknown>;
  if ('table' in g.on) target = sql`table ${s(g.on.table)}`;
  else if ('sequence' in g.on) target = sql`sequence ${s(g.on.sequence)}`;
  else if (fn) target = sql`function ${renderFunctionIdentity(fn, s)}`;
  else throw new ConfigError('INVALID_MODEL', `A grant is on function ${g.on.function}, which the model does not define.`);
  const grantee = g.to.toLowerCase() === 'public' ? sql`public` : sql.id(g.to);
  return sql`grant ${privileges} on ${target} to ${grantee}`;
}

/**
 * Orders views and materialized views so that each follows what it `dependsOn`;
 * otherwise views before materialized views, each in declaration order.
 */
export function orderViews(views: readonly AnyView[]): AnyView[] {
  const byName = new Map(views.map((v) => [v.name, v]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: AnyView[] = [];
  const visit = (v: AnyView, path: readonly string[]): void => {
    if (done.has(v.name)) return;
    if (visiting.has(v.name)) {
      throw new ConfigError('INVALID_MODEL', `The views of the model depend on each other in a cycle: ${[...path, v.name].join(' -> ')}.`);
    }
    visiting.add(v.name);
    for (const d of v.node.dependsOn) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...path, v.name]);
    }
    visiting.delete(v.name);
    done.add(v.name);
    ordered.push(v);
  };
  for (const v of views) visit(v, []);
  return ordered;
}

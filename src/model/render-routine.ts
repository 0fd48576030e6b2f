import { sql, type RawBuilder } from 'kysely';
import { isPlainTypeName } from './column';
import { compileSql } from './compile-sql';
import { isLibrarySymbol, type FunctionNode, type TypeExpression } from './function-def';
import { resolveExpression, type SchemaScope } from './schema-scope';
import type { TriggerNode } from './trigger';

/** A type expression as SQL: plain type names as written, schema types through the scope. */
export function renderType(type: TypeExpression, s: SchemaScope): RawBuilder<unknown> {
  if (typeof type === 'function') return type(s);
  if (!isPlainTypeName(type)) throw new TypeError(`not a plain SQL type name: ${JSON.stringify(type)}`);
  return sql.raw(type);
}

/**
 * The identity of a function, as `COMMENT ON` / `GRANT` / `DROP` want it:
 * `"crmp"."effective_day"(timestamp without time zone, character varying, character varying)`.
 */
export function renderFunctionIdentity(fn: FunctionNode, s: SchemaScope): RawBuilder<unknown> {
  const types = fn.args.filter((a) => a.mode !== 'out').map((a) => renderType(a.type, s));
  return sql`${s(fn.name)}(${sql.join(types)})`;
}

/** A dollar-quote tag that does not occur in `text`. */
function dollarTag(text: string): string {
  for (let i = 0; ; i++) {
    const tag = i === 0 ? '$body$' : `$body${i}$`;
    if (!text.includes(tag)) return tag;
  }
}

/**
 * `CREATE FUNCTION`. The source is dollar-quoted verbatim, because PostgreSQL
 * keeps it verbatim (`pg_get_functiondef`): write it identically in revisions.
 *
 * @example
 * ```sql
 * create function "crmp"."daysinmonth"("d" timestamp without time zone) returns double precision
 *   language sql immutable as $body$ select ... $body$
 * ```
 */
export function renderCreateFunction(fn: FunctionNode, s: SchemaScope): RawBuilder<unknown> {
  const args = fn.args.map((a) => {
    const parts: RawBuilder<unknown>[] = [];
    if (a.mode && a.mode !== 'in') parts.push(sql.raw(a.mode));
    if (a.name !== undefined) parts.push(sql.id(a.name));
    parts.push(renderType(a.type, s));
    if (a.default !== undefined) parts.push(sql`default ${resolveExpression(a.default, s)}`);
    return sql.join(parts, sql` `);
  });
  const attributes: RawBuilder<unknown>[] = [sql.raw(`language ${fn.language}`), sql.raw(fn.volatility)];
  if (fn.strict) attributes.push(sql`strict`);
  if (fn.securityDefiner) attributes.push(sql`security definer`);
  if (fn.parallel) attributes.push(sql.raw(`parallel ${fn.parallel}`));
  if (fn.cost !== undefined) attributes.push(sql`cost ${sql.lit(fn.cost)}`);
  if (fn.rows !== undefined) attributes.push(sql`rows ${sql.lit(fn.rows)}`);
  let definition: RawBuilder<unknown>;
  if (isLibrarySymbol(fn.body)) {
    definition = sql`${sql.lit(fn.body.file)}, ${sql.lit(fn.body.symbol)}`;
  } else {
    const source = compileSql(resolveExpression(fn.body, s), `function ${fn.name}`);
    const tag = dollarTag(source);
    definition = sql.raw(`${tag}${source}${tag}`);
  }
  return sql`create function ${s(fn.name)}(${sql.join(args)}) returns ${renderType(fn.returns, s)} ${sql.join(attributes, sql` `)} as ${definition}`;
}

/**
 * `CREATE TRIGGER`.
 *
 * @example
 * ```sql
 * create trigger "meta_history_mod_time" before update on "crmp"."meta_history" for each row
 *   execute function "crmp"."moddatetime_wrapper"('mod_time')
 * ```
 */
export function renderCreateTrigger(trigger: TriggerNode, s: SchemaScope): RawBuilder<unknown> {
  const events = trigger.events.map((e) =>
    e === 'update' && trigger.updateOf && trigger.updateOf.length > 0
      ? sql`update of ${sql.join(trigger.updateOf.map((c) => sql.id(c)))}`
      : sql.raw(e),
  );
  const parts: RawBuilder<unknown>[] = [
    sql`create trigger ${sql.id(trigger.name)} ${sql.raw(trigger.timing)} ${sql.join(events, sql` or `)} on ${s(trigger.table)}`,
    sql.raw(`for each ${trigger.forEach}`),
  ];
  if (trigger.when !== undefined) parts.push(sql`when (${resolveExpression(trigger.when, s)})`);
  parts.push(sql`execute function ${s(trigger.function)}(${sql.join((trigger.args ?? []).map((a) => sql.lit(a)))})`);
  return sql.join(parts, sql` `);
}

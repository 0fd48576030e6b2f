import { sql, type RawBuilder } from 'kysely';

/**
 * The schema a model is rendered for, handed to every body and expression.
 *
 * Callable: `s('meta_station')` is the qualified identifier `"crmp"."meta_station"`,
 * so a view or function body never names its schema literally.
 *
 * @example
 * ```ts
 * const body = (s: SchemaScope) => sql`select station_id from ${s('meta_station')}`;
 * // rendered for schema crmp: select station_id from "crmp"."meta_station"
 * ```
 */
export interface SchemaScope {
  (name: string): RawBuilder<unknown>;
  /** The schema name, unquoted (for messages; in SQL use `id` or `literal`). */
  readonly schema: string;
  /** The schema identifier alone: `"crmp"`. */
  readonly id: RawBuilder<unknown>;
  /** The schema name as a string literal: `'crmp'`. */
  readonly literal: RawBuilder<unknown>;
  /** A regclass literal for an object of the schema: `'"crmp"."obs_raw_id_seq"'::regclass`. */
  regclass(name: string): RawBuilder<unknown>;
}

/** SQL that may refer to the schema: a fixed snippet, or a function of the schema. */
export type SqlExpression = RawBuilder<unknown> | ((s: SchemaScope) => RawBuilder<unknown>);

/** Builds the {@link SchemaScope} for `schema`. */
export function schemaScope(schema: string): SchemaScope {
  const scope = (name: string): RawBuilder<unknown> => sql.id(schema, name);
  return Object.freeze(
    Object.assign(scope, {
      schema,
      id: sql.id(schema),
      literal: sql.lit(schema),
      regclass: (name: string) => sql`${sql.lit(`${quoteIdentifier(schema)}.${quoteIdentifier(name)}`)}::regclass`,
    }),
  );
}

/** Evaluates an expression for a schema. */
export function resolveExpression(expression: SqlExpression, scope: SchemaScope): RawBuilder<unknown> {
  return typeof expression === 'function' ? expression(scope) : expression;
}

/** Double-quotes an identifier the way PostgreSQL (and Kysely's `sql.id`) does. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

import { sql, type RawBuilder } from 'kysely';
import { OWN_SCHEMA_ID, OWN_SCHEMA_LITERAL } from '../schema/own-schema';
import { quoteIdent } from '../schema/sql-text';

/**
 * The schema a model is built in, handed to every body and expression, so that SQL never names
 * that schema literally.
 *
 * Callable: `s('meta_station')` is the qualified identifier `"<schema>"."meta_station"`.
 *
 * @example
 * ```ts
 * const body = (s: SchemaScope) => sql`select station_id from ${s('meta_station')}`;
 * // built in schema crmp: select station_id from "crmp"."meta_station"
 * ```
 */
export interface SchemaScope {
  (name: string): RawBuilder<unknown>;
  /** The schema identifier alone: `"crmp"`. */
  readonly id: RawBuilder<unknown>;
  /** The schema name as a string literal: `'crmp'`. */
  readonly literal: RawBuilder<unknown>;
  /** A regclass literal for an object of the schema: `'"crmp"."obs_raw_id_seq"'::regclass`. */
  regclass(name: string): RawBuilder<unknown>;
}

/** SQL that may refer to the schema: a fixed snippet, or a function of the schema. */
export type SqlExpression = RawBuilder<unknown> | ((s: SchemaScope) => RawBuilder<unknown>);

/**
 * The scope a model is turned into a snapshot with: the schema is not known yet, so each
 * mention of it is one of the sentinels of `own-schema.ts`, which every renderer fills in
 * for the schema it targets.
 */
export const ownSchemaScope: SchemaScope = Object.freeze(
  Object.assign((name: string) => sql.raw(`${OWN_SCHEMA_ID}.${quoteIdent(name)}`), {
    id: sql.raw(OWN_SCHEMA_ID),
    literal: sql.raw(OWN_SCHEMA_LITERAL),
    regclass: (name: string) => sql.raw(`'${OWN_SCHEMA_ID}.${quoteIdent(name).replace(/'/g, "''")}'::regclass`),
  }),
);

/** Evaluates an expression for a schema. */
export function resolveExpression(expression: SqlExpression, scope: SchemaScope): RawBuilder<unknown> {
  return typeof expression === 'function' ? expression(scope) : expression;
}

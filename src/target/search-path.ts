import { sql, type RawBuilder } from 'kysely';

/**
 * `set search_path to "crmp", public` (with `local`: until the transaction ends): while a revision
 * or the model runs, function and view bodies may name the schema's own tables unqualified.
 *
 * @example
 * ```ts
 * await setSearchPath('crmp').execute(db); // set search_path to "crmp", public
 * ```
 */
export function setSearchPath(schema: string, options: { local?: boolean } = {}): RawBuilder<unknown> {
  return options.local ? sql`set local search_path to ${sql.id(schema)}, public` : sql`set search_path to ${sql.id(schema)}, public`;
}

/**
 * The same setting as an expression, to ride along in another statement and save a round trip:
 * `select ..., set_config('search_path', quote_ident('crmp') || ', public', false)`.
 */
export function searchPathSetting(schema: string): RawBuilder<string> {
  return sql<string>`set_config('search_path', quote_ident(${schema}) || ', public', false)`;
}

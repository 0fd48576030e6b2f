import type { CollationRef } from './column';
import type { SqlExpression } from './schema-scope';
import { checkSqlText, modelMistake } from './sql-text-check';

/** Index access methods (and those of extensions, such as `gist` with PostGIS). */
export type IndexMethod = 'btree' | 'hash' | 'gist' | 'gin' | 'brin' | 'spgist' | (string & {});

/** Ordering, collation and operator class of one index element. */
export interface IndexElementOptions {
  readonly order?: 'asc' | 'desc';
  readonly nulls?: 'first' | 'last';
  /** Operator class, e.g. `text_pattern_ops`, `public.gist_trgm_ops(siglen=32)`. */
  readonly opclass?: string;
  readonly collate?: CollationRef;
}

/**
 * One element of an index: a column name, a column with options, or an expression (written as
 * PostgreSQL accepts it in an index: a function call such as `lower(name)`, or in parentheses).
 */
export type IndexElement = string | (IndexElementOptions & { readonly column: string }) | (IndexElementOptions & { readonly expression: SqlExpression });

/** Options of an index. */
export interface IndexOptions {
  readonly unique?: boolean;
  readonly using?: IndexMethod;
  /** `INCLUDE (...)` columns of a covering index. */
  readonly include?: readonly string[];
  /** `NULLS NOT DISTINCT` (unique indexes). */
  readonly nullsNotDistinct?: boolean;
  /** Storage parameters, as PostgreSQL prints them: `fillfactor=70`. */
  readonly with?: readonly string[];
  /** The predicate of a partial index. */
  readonly where?: SqlExpression;
  /** `ON ONLY`: an index of a partitioned table that is not created on its partitions. */
  readonly only?: boolean;
  readonly comment?: string;
}

/** An index as plain data: on a table or a materialized view. */
export interface IndexNode extends IndexOptions {
  readonly name: string;
  /** The indexed relation (table or materialized view). */
  readonly on: string;
  readonly elements: readonly Exclude<IndexElement, string>[];
}

/** Checks the SQL text of index element options. */
export function checkElementOptions(element: IndexElementOptions, what: string): void {
  if (element.opclass !== undefined) checkSqlText(element.opclass, `The operator class of ${what}`);
  if (typeof element.collate === 'string') checkSqlText(element.collate, `The collation of ${what}`);
}

/** Normalises index elements to objects and checks their SQL text. */
export function indexNode(on: string, name: string, elements: readonly IndexElement[], options: IndexOptions = {}): IndexNode {
  if (elements.length === 0) modelMistake(`Index ${name} on ${on} has no elements: name at least one column or expression.`);
  const objects = elements.map((e) => (typeof e === 'string' ? { column: e } : e));
  for (const e of objects) checkElementOptions(e, `index ${name}`);
  if (options.using !== undefined) checkSqlText(options.using, `The access method of index ${name}`);
  for (const w of options.with ?? []) checkSqlText(w, `A storage parameter of index ${name}`);
  return Object.freeze({ ...options, name, on, elements: Object.freeze(objects) });
}

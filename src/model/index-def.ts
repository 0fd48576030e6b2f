import type { SqlExpression } from './schema-scope';

/** Index access methods. */
export type IndexMethod = 'btree' | 'hash' | 'gist' | 'gin' | 'brin' | 'spgist';

/** Ordering and operator class of one index element. */
export interface IndexElementOptions {
  readonly order?: 'asc' | 'desc';
  readonly nulls?: 'first' | 'last';
  /** Operator class, e.g. `text_pattern_ops`. */
  readonly opclass?: string;
}

/** One element of an index: a column name, a column with options, or an expression. */
export type IndexElement =
  | string
  | (IndexElementOptions & { readonly column: string })
  | (IndexElementOptions & { readonly expression: SqlExpression });

/** Options of an index. */
export interface IndexOptions {
  readonly unique?: boolean;
  readonly using?: IndexMethod;
  /** `INCLUDE (...)` columns of a covering index. */
  readonly include?: readonly string[];
  /** The predicate of a partial index. */
  readonly where?: SqlExpression;
  readonly comment?: string;
}

/** An index as plain data: on a table or a materialized view. */
export interface IndexNode extends IndexOptions {
  readonly name: string;
  /** The indexed relation (table or materialized view). */
  readonly on: string;
  readonly elements: readonly Exclude<IndexElement, string>[];
}

/** Normalises index elements to objects. */
export function indexNode(on: string, name: string, elements: readonly IndexElement[], options: IndexOptions = {}): IndexNode {
  if (elements.length === 0) throw new TypeError(`index ${name} on ${on} has no elements`);
  return Object.freeze({
    ...options,
    name,
    on,
    elements: Object.freeze(elements.map((e) => (typeof e === 'string' ? { column: e } : e))),
  });
}

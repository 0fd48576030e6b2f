import { indexNode, type IndexElement, type IndexNode, type IndexOptions } from './index-def';
import type { SqlExpression } from './schema-scope';
import type { ColumnMap } from './table';

/** A view or materialized view as plain data. */
export interface ViewNode {
  readonly kind: 'view' | 'materialized view';
  readonly name: string;
  /** The query, written against the schema given at render time. */
  readonly body: SqlExpression;
  /** Views and materialized views of the model this one reads from: they are created first. */
  readonly dependsOn: readonly string[];
  readonly comment?: string;
  /** Materialized views only: created `WITH NO DATA` when false. Default true. */
  readonly withData?: boolean;
  /** Materialized views only. */
  readonly indexes: readonly IndexNode[];
}

/** Options shared by views and materialized views. */
export interface ViewOptions<Columns extends ColumnMap> {
  readonly body: SqlExpression;
  /** The columns' types, for the Kysely `Database` type only (never rendered). */
  readonly columns?: Columns;
  readonly dependsOn?: readonly string[];
  readonly comment?: string;
}

/**
 * An immutable view or materialized view definition.
 *
 * @example
 * ```ts
 * materializedView('vars_per_history_mv', {
 *   body: (s) => sql`select distinct history_id, vars_id from ${s('obs_raw')}`,
 * }).index('vars_per_history_mv_idx', ['history_id', 'vars_id'], { unique: true });
 * ```
 */
export class ViewBuilder<Name extends string, Columns extends ColumnMap> {
  declare readonly __columns: Columns;
  readonly name: Name;
  readonly node: ViewNode;

  constructor(name: Name, node: ViewNode) {
    this.name = name;
    this.node = Object.freeze(node);
    Object.freeze(this);
  }

  /** An index of a materialized view. */
  index(name: string, elements: readonly (Extract<keyof Columns, string> | Exclude<IndexElement, string>)[], options?: IndexOptions): ViewBuilder<Name, Columns> {
    if (this.node.kind !== 'materialized view') throw new TypeError(`view ${this.name} is not materialized: it cannot have indexes`);
    return new ViewBuilder(this.name, { ...this.node, indexes: [...this.node.indexes, indexNode(this.name, name, elements, options)] });
  }
}

/** Any view builder. */
export type AnyView = ViewBuilder<string, ColumnMap>;

/** Defines a view. */
export function view<Name extends string, Columns extends ColumnMap = Record<never, never>>(
  name: Name,
  options: ViewOptions<Columns>,
): ViewBuilder<Name, Columns> {
  return new ViewBuilder(name, viewNode('view', name, options));
}

/** Defines a materialized view; add its indexes with `.index()`. */
export function materializedView<Name extends string, Columns extends ColumnMap = Record<never, never>>(
  name: Name,
  options: ViewOptions<Columns> & { readonly withData?: boolean },
): ViewBuilder<Name, Columns> {
  return new ViewBuilder(name, { ...viewNode('materialized view', name, options), withData: options.withData ?? true });
}

function viewNode(kind: ViewNode['kind'], name: string, options: ViewOptions<ColumnMap>): ViewNode {
  return {
    kind,
    name,
    body: options.body,
    dependsOn: [...(options.dependsOn ?? [])],
    indexes: [],
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  };
}

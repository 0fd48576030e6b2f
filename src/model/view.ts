import { indexNode, type IndexElement, type IndexNode, type IndexOptions } from './index-def';
import type { SqlExpression } from './schema-scope';
import { checkSqlText, modelMistake } from './sql-text-check';
import type { ColumnMap } from './table';

/** A view or materialized view as plain data. */
export interface ViewNode {
  readonly kind: 'view' | 'materialized view';
  readonly name: string;
  /** The query, written against the schema given at build time. */
  readonly body: SqlExpression;
  /** Views and materialized views of the model this one reads from: they are created first. */
  readonly dependsOn: readonly string[];
  readonly comment?: string;
  /** Materialized views only. */
  readonly indexes: readonly IndexNode[];
  /** Column names and types (for the Kysely `Database` type), and their comments. */
  readonly columns: readonly { readonly name: string; readonly type: string | undefined; readonly comment?: string }[];
  /** `WITH (...)` options as PostgreSQL prints them: `security_barrier=true`, `check_option=local`, `fillfactor=70`. */
  readonly options?: readonly string[];
  /** The owning role; default: whoever creates it. */
  readonly owner?: string;
}

/** Options shared by views and materialized views. */
export interface ViewOptions<Columns extends ColumnMap> {
  readonly body: SqlExpression;
  /** The columns' types, for the Kysely `Database` type (and their comments: `.comment()`). */
  readonly columns?: Columns;
  readonly dependsOn?: readonly string[];
  readonly comment?: string;
  readonly options?: readonly string[];
  readonly owner?: string;
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
  index(
    name: string,
    elements: readonly (Extract<keyof Columns, string> | Exclude<IndexElement, string>)[],
    options?: IndexOptions,
  ): ViewBuilder<Name, Columns> {
    if (this.node.kind !== 'materialized view') modelMistake(`View ${this.name} is not materialized: it cannot have indexes. Use materializedView().`);
    return new ViewBuilder(this.name, { ...this.node, indexes: [...this.node.indexes, indexNode(this.name, name, elements, options)] });
  }
}

/** Any view builder. */
export type AnyView = ViewBuilder<string, ColumnMap>;

/** Defines a view. */
export function view<const Name extends string, Columns extends ColumnMap = Record<never, never>>(
  name: Name,
  options: ViewOptions<Columns>,
): ViewBuilder<Name, Columns> {
  return new ViewBuilder(name, viewNode('view', name, options));
}

/** Defines a materialized view; add its indexes with `.index()`. */
export function materializedView<const Name extends string, Columns extends ColumnMap = Record<never, never>>(
  name: Name,
  options: ViewOptions<Columns>,
): ViewBuilder<Name, Columns> {
  return new ViewBuilder(name, viewNode('materialized view', name, options));
}

function viewNode(kind: ViewNode['kind'], name: string, options: ViewOptions<ColumnMap>): ViewNode {
  for (const o of options.options ?? []) checkSqlText(o, `An option of ${kind} ${name}`);
  const columns = Object.entries(options.columns ?? {}).map(([column, builder]) => {
    const type = builder.node.dataType;
    return {
      name: column,
      type: type.kind === 'sql' ? type.sql : undefined,
      ...(builder.node.comment === undefined ? {} : { comment: builder.node.comment }),
    };
  });
  return {
    kind,
    name,
    body: options.body,
    dependsOn: [...(options.dependsOn ?? [])],
    indexes: [],
    columns,
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    ...(options.options === undefined ? {} : { options: [...options.options] }),
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  };
}

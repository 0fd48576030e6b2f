import type { AnyColumn, ColumnNode, ReferentialAction } from './column';
import { indexNode, type IndexElement, type IndexNode, type IndexOptions } from './index-def';
import type { SqlExpression } from './schema-scope';

/** Columns of a table, by name. */
export type ColumnMap = Readonly<Record<string, AnyColumn>>;

/** A column of a table: its name and definition, without column-level constraints. */
export interface TableColumnNode extends Omit<ColumnNode, 'primaryKey' | 'unique' | 'references' | 'check'> {
  readonly name: string;
}

export interface PrimaryKeyNode {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKeyNode {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface UniqueNode {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface CheckNode {
  readonly name: string;
  readonly expression: SqlExpression;
}

/** A table as plain data, every constraint with its name. */
export interface TableNode {
  readonly name: string;
  readonly columns: readonly TableColumnNode[];
  readonly primaryKey?: PrimaryKeyNode;
  readonly foreignKeys: readonly ForeignKeyNode[];
  readonly uniques: readonly UniqueNode[];
  readonly checks: readonly CheckNode[];
  readonly indexes: readonly IndexNode[];
  readonly comment?: string;
}

/** Options of a table-level foreign key. */
export interface ForeignKeyOptions {
  readonly name?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
}

/**
 * An immutable table definition; every method returns a new builder. Constraint
 * names default to PostgreSQL's own (`<table>_pkey`, `<table>_<cols>_fkey`,
 * `<table>_<cols>_key`, `<table>_<col>_check`) and are always written explicitly.
 *
 * @example
 * ```ts
 * table('obs_raw', { obs_raw_id: bigint().primaryKey(), obs_time: timestamp().notNull(), history_id: integer() })
 *   .unique(['obs_time', 'history_id'], 'time_place_unique')
 *   .index('obs_raw_history_id_idx', ['history_id']);
 * ```
 */
export class TableBuilder<Name extends string, Columns extends ColumnMap> {
  declare readonly __columns: Columns;
  readonly name: Name;
  readonly node: TableNode;

  constructor(name: Name, node: TableNode) {
    this.name = name;
    this.node = Object.freeze(node);
    Object.freeze(this);
  }

  /** The primary key over several columns. */
  primaryKey(columns: readonly ColumnName<Columns>[], name = `${this.name}_pkey`): TableBuilder<Name, Columns> {
    return this.with({ primaryKey: { name, columns: [...columns] } });
  }

  /** A foreign key over one or more columns. */
  foreignKey(
    columns: readonly ColumnName<Columns>[],
    references: { table: string; columns: readonly string[] },
    options: ForeignKeyOptions = {},
  ): TableBuilder<Name, Columns> {
    const fk = foreignKeyNode(this.name, columns, references, options);
    return this.with({ foreignKeys: [...this.node.foreignKeys, fk] });
  }

  /** A unique constraint. */
  unique(columns: readonly ColumnName<Columns>[], name = `${this.name}_${columns.join('_')}_key`): TableBuilder<Name, Columns> {
    return this.with({ uniques: [...this.node.uniques, { name, columns: [...columns] }] });
  }

  /** A named check constraint. */
  check(name: string, expression: SqlExpression): TableBuilder<Name, Columns> {
    return this.with({ checks: [...this.node.checks, { name, expression }] });
  }

  /** An index; elements are column names, `{ column, order }` or `{ expression }`. */
  index(name: string, elements: readonly (ColumnName<Columns> | Exclude<IndexElement, string>)[], options?: IndexOptions): TableBuilder<Name, Columns> {
    return this.with({ indexes: [...this.node.indexes, indexNode(this.name, name, elements, options)] });
  }

  /** `COMMENT ON TABLE`. */
  comment(text: string): TableBuilder<Name, Columns> {
    return this.with({ comment: text });
  }

  private with(changes: Partial<TableNode>): TableBuilder<Name, Columns> {
    return new TableBuilder<Name, Columns>(this.name, { ...this.node, ...changes });
  }
}

/** Names of the columns of a column map. */
export type ColumnName<Columns extends ColumnMap> = keyof Columns & string;

/** Any table builder. */
export type AnyTable = TableBuilder<string, ColumnMap>;

/** Defines a table; column-level constraints become named table constraints. */
export function table<Name extends string, Columns extends ColumnMap>(name: Name, columns: Columns): TableBuilder<Name, Columns> {
  const columnNodes: TableColumnNode[] = [];
  const primary: string[] = [];
  let primaryName: string | undefined;
  const foreignKeys: ForeignKeyNode[] = [];
  const uniques: UniqueNode[] = [];
  const checks: CheckNode[] = [];
  for (const [columnName, builder] of Object.entries(columns)) {
    const { primaryKey, unique, references, check, ...rest } = builder.node;
    columnNodes.push({ name: columnName, ...rest });
    if (primaryKey) {
      primary.push(columnName);
      primaryName = primaryKey.name ?? primaryName;
    }
    if (unique) uniques.push({ name: unique.name ?? `${name}_${columnName}_key`, columns: [columnName] });
    if (references) {
      foreignKeys.push(foreignKeyNode(name, [columnName], { table: references.table, columns: [references.column] }, references));
    }
    if (check) checks.push({ name: check.name ?? `${name}_${columnName}_check`, expression: check.expression });
  }
  return new TableBuilder(name, {
    name,
    columns: columnNodes,
    ...(primary.length > 0 ? { primaryKey: { name: primaryName ?? `${name}_pkey`, columns: primary } } : {}),
    foreignKeys,
    uniques,
    checks,
    indexes: [],
  });
}

function foreignKeyNode(
  table: string,
  columns: readonly string[],
  references: { table: string; columns: readonly string[] },
  options: ForeignKeyOptions,
): ForeignKeyNode {
  return {
    name: options.name ?? `${table}_${columns.join('_')}_fkey`,
    columns: [...columns],
    references: { table: references.table, columns: [...references.columns] },
    onDelete: options.onDelete ?? 'no action',
    onUpdate: options.onUpdate ?? 'no action',
    deferrable: options.deferrable ?? false,
    initiallyDeferred: options.initiallyDeferred ?? false,
  };
}

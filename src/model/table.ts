import { sql } from 'kysely';
import { makeObjectName } from '../schema/generated-names';
import type { AnyColumn, ColumnNode, ForeignKeyOptions, TableRef } from './column';
import { indexNode, type IndexElement, type IndexNode, type IndexOptions } from './index-def';
import type { SqlExpression } from './schema-scope';
import { checkSqlText, modelMistake } from './sql-text-check';
import {
  defaultConstraintName,
  exclusionNode,
  foreignKeyNode,
  referencedTable,
  type CheckNode,
  type ExclusionElement,
  type ExclusionNode,
  type ExclusionOptions,
  type ForeignKeyNode,
  type KeyOptions,
  type PrimaryKeyNode,
  type RawConstraintNode,
  type UniqueNode,
} from './table-constraints';

/** Columns of a table, by name. */
export type ColumnMap = Readonly<Record<string, AnyColumn>>;

/** A column of a table: its name and definition, without column-level constraints. */
export interface TableColumnNode extends Omit<ColumnNode, 'primaryKey' | 'unique' | 'references' | 'check'> {
  readonly name: string;
  /** Comes from a parent: `only` when the table does not declare it, `merged` when it does too. */
  readonly inherited?: 'only' | 'merged';
}

/** `PARTITION BY RANGE (logdate)`: keys are column names, or expressions written as PostgreSQL accepts them. */
export interface PartitionKeyNode {
  readonly strategy: 'range' | 'list' | 'hash';
  readonly keys: readonly (string | SqlExpression)[];
}

/** A table as plain data, every constraint with its name. */
export interface TableNode {
  readonly name: string;
  readonly columns: readonly TableColumnNode[];
  readonly primaryKey?: PrimaryKeyNode;
  readonly foreignKeys: readonly ForeignKeyNode[];
  readonly uniques: readonly UniqueNode[];
  readonly checks: readonly CheckNode[];
  readonly exclusions?: readonly ExclusionNode[];
  /** Constraints written as SQL. */
  readonly constraints?: readonly RawConstraintNode[];
  readonly indexes: readonly IndexNode[];
  readonly comment?: string;
  readonly unlogged?: boolean;
  /** Storage parameters as PostgreSQL prints them: `fillfactor=70`. */
  readonly options?: readonly string[];
  readonly rowLevelSecurity?: { readonly force: boolean };
  readonly partitionBy?: PartitionKeyNode;
  /** A partition of a partitioned table of the model, with its bound (`FOR VALUES FROM (...) TO (...)`, `DEFAULT`). */
  readonly partitionOf?: { readonly parent: string; readonly bound: SqlExpression };
  /** `INHERITS` parents: tables of the model, or of another schema. */
  readonly inherits?: readonly { readonly schema?: string; readonly table: string }[];
  /** The owning role; default: whoever creates it. */
  readonly owner?: string;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ParentColumns<P> = P extends { readonly __columns: infer C } ? C : unknown;

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
  primaryKey(
    columns: readonly ColumnName<Columns>[],
    name = defaultConstraintName(this.name, null, 'pkey'),
    options: KeyOptions = {},
  ): TableBuilder<Name, Columns> {
    return this.with({ primaryKey: { ...options, name, columns: [...columns] } });
  }

  /** A foreign key over one or more columns, to a table of the model or (with `schema`) of another schema. */
  foreignKey(
    columns: readonly ColumnName<Columns>[],
    references: { readonly schema?: string; readonly table: string; readonly columns: readonly string[] },
    options: ForeignKeyOptions = {},
  ): TableBuilder<Name, Columns> {
    return this.with({ foreignKeys: [...this.node.foreignKeys, foreignKeyNode(this.name, columns, references, options)] });
  }

  /** A unique constraint. */
  unique(
    columns: readonly ColumnName<Columns>[],
    name = defaultConstraintName(this.name, columns, 'key'),
    options: KeyOptions & { readonly nullsNotDistinct?: boolean } = {},
  ): TableBuilder<Name, Columns> {
    return this.with({ uniques: [...this.node.uniques, { ...options, name, columns: [...columns] }] });
  }

  /** A named check constraint. */
  check(name: string, expression: SqlExpression, options: { noInherit?: boolean; notValid?: boolean; comment?: string } = {}): TableBuilder<Name, Columns> {
    return this.with({ checks: [...this.node.checks, { ...options, name, expression }] });
  }

  /** An exclusion constraint: `EXCLUDE USING gist (period WITH &&)`. */
  exclude(name: string, elements: readonly ExclusionElement[], options: ExclusionOptions = {}): TableBuilder<Name, Columns> {
    return this.with({ exclusions: [...(this.node.exclusions ?? []), exclusionNode(this.name, name, elements, options)] });
  }

  /** A constraint written as SQL, as after `ADD CONSTRAINT name`: `sql\`CHECK (a > 0)\``. */
  constraint(name: string, definition: SqlExpression, options: { comment?: string } = {}): TableBuilder<Name, Columns> {
    return this.with({ constraints: [...(this.node.constraints ?? []), { ...options, name, definition }] });
  }

  /** An index; elements are column names, `{ column, order }` or `{ expression }`. */
  index(name: string, elements: readonly (ColumnName<Columns> | Exclude<IndexElement, string>)[], options?: IndexOptions): TableBuilder<Name, Columns> {
    return this.with({ indexes: [...this.node.indexes, indexNode(this.name, name, elements, options)] });
  }

  /** `COMMENT ON TABLE`. */
  comment(text: string): TableBuilder<Name, Columns> {
    return this.with({ comment: text });
  }

  /** `CREATE UNLOGGED TABLE`. */
  unlogged(): TableBuilder<Name, Columns> {
    return this.with({ unlogged: true });
  }

  /** Storage parameters: `.options(['fillfactor=70', 'autovacuum_enabled=false'])`. */
  options(options: readonly string[]): TableBuilder<Name, Columns> {
    for (const o of options) checkSqlText(o, `A storage parameter of table ${this.name}`);
    return this.with({ options: [...options] });
  }

  /** `ENABLE ROW LEVEL SECURITY`, and `FORCE ROW LEVEL SECURITY` with `{ force: true }`. */
  enableRowLevelSecurity(options: { force?: boolean } = {}): TableBuilder<Name, Columns> {
    return this.with({ rowLevelSecurity: { force: options.force ?? false } });
  }

  /** Makes the table partitioned: `.partitionBy('range', ['logdate'])`; add partitions with {@link partition}. */
  partitionBy(strategy: PartitionKeyNode['strategy'], keys: readonly (ColumnName<Columns> | SqlExpression)[]): TableBuilder<Name, Columns> {
    if (keys.length === 0) modelMistake(`Table ${this.name} is partitioned by no key: name at least one column or expression.`);
    return this.with({ partitionBy: { strategy, keys: [...keys] } });
  }

  /**
   * A partition of this (partitioned) table, with the parent's columns:
   * `measurement.partition('measurement_y2006', sql\`FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')\`)`.
   */
  partition<const P extends string>(name: P, bound: SqlExpression): TableBuilder<P, Columns> {
    return new TableBuilder<P, Columns>(name, {
      ...emptyTable(name),
      columns: this.node.columns.map((c) => inheritedCopy(this.name, c)),
      partitionOf: { parent: this.name, bound },
    });
  }

  /** `INHERITS (parents)`: the parents' columns come first, a column declared by both is merged. */
  inherits<const P extends readonly (AnyTable | TableRef)[]>(...parents: P): TableBuilder<Name, Columns & UnionToIntersection<ParentColumns<P[number]>>> {
    const inherited: TableColumnNode[] = [];
    for (const p of parents) {
      if (!(p instanceof TableBuilder)) continue;
      for (const c of p.node.columns) if (!inherited.some((x) => x.name === c.name)) inherited.push(inheritedCopy(p.name, c));
    }
    const own = this.node.columns.filter((c) => c.inherited === undefined);
    const columns = [
      ...inherited.map((c) => {
        const local = own.find((o) => o.name === c.name);
        return local ? { ...local, inherited: 'merged' as const } : c;
      }),
      ...own.filter((o) => !inherited.some((c) => c.name === o.name)),
    ];
    const refs = parents.map((p) => (p instanceof TableBuilder ? { table: p.name } : referencedTable(p)));
    return new TableBuilder(this.name, { ...this.node, columns, inherits: [...(this.node.inherits ?? []), ...refs] });
  }

  /** The owning role (default: whoever creates the table). */
  owner(role: string): TableBuilder<Name, Columns> {
    return this.with({ owner: role });
  }

  private with(changes: Partial<TableNode>): TableBuilder<Name, Columns> {
    return new TableBuilder<Name, Columns>(this.name, { ...this.node, ...changes });
  }
}

/** Names of the columns of a column map. */
export type ColumnName<Columns extends ColumnMap> = keyof Columns & string;

/** Any table builder. */
export type AnyTable = TableBuilder<string, ColumnMap>;

function emptyTable(name: string): TableNode {
  return { name, columns: [], foreignKeys: [], uniques: [], checks: [], indexes: [] };
}

/**
 * A parent's column as a child has it: same type, default and NOT NULL, no identity. A serial
 * column's sequence stays the parent's: the child's default draws from it.
 */
function inheritedCopy(parent: string, column: TableColumnNode): TableColumnNode {
  const { identity: _identity, comment: _comment, inherited: _inherited, ...rest } = column;
  const type = column.dataType;
  if (type.kind !== 'serial') return { ...rest, inherited: 'only' };
  const sequence = makeObjectName(parent, column.name, 'seq');
  return { ...rest, dataType: { kind: 'sql', sql: type.type }, default: (s) => sql`nextval(${s.regclass(sequence)})`, inherited: 'only' };
}

/** Defines a table; column-level constraints become named table constraints. */
export function table<const Name extends string, Columns extends ColumnMap>(name: Name, columns: Columns): TableBuilder<Name, Columns> {
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
    if (unique) uniques.push({ name: unique.name ?? defaultConstraintName(name, [columnName], 'key'), columns: [columnName] });
    if (references) {
      const { table: target, column, ...options } = references;
      foreignKeys.push(foreignKeyNode(name, [columnName], { ...referencedTable(target), columns: [column] }, options));
    }
    if (check) checks.push({ ...check, name: check.name ?? defaultConstraintName(name, [columnName], 'check'), columns: [columnName] });
  }
  return new TableBuilder(name, {
    ...emptyTable(name),
    columns: columnNodes,
    ...(primary.length > 0 ? { primaryKey: { name: primaryName ?? defaultConstraintName(name, null, 'pkey'), columns: primary } } : {}),
    foreignKeys,
    uniques,
    checks,
  });
}

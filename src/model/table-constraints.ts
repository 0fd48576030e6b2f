import { makeObjectName } from '../schema/generated-names';
import type { ForeignKeyOptions, ReferentialAction, TableRef } from './column';
import { checkElementOptions, type IndexElementOptions } from './index-def';
import type { SqlExpression } from './schema-scope';
import { checkSqlText, modelMistake } from './sql-text-check';

/** Deferrability of a primary key, unique, foreign key or exclusion constraint. */
export interface Deferrable {
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
}

export interface PrimaryKeyNode extends Deferrable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly include?: readonly string[];
  readonly comment?: string;
}

export interface UniqueNode extends Deferrable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly include?: readonly string[];
  readonly nullsNotDistinct?: boolean;
  readonly comment?: string;
}

export interface ForeignKeyNode {
  readonly name: string;
  readonly columns: readonly string[];
  /** A table of the model (no `schema`) or of another schema. */
  readonly references: { readonly schema?: string; readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  readonly onDeleteColumns?: readonly string[];
  readonly match?: 'simple' | 'full';
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly notValid?: boolean;
  readonly comment?: string;
}

export interface CheckNode {
  readonly name: string;
  readonly expression: SqlExpression;
  /** The column a column-level check was declared on. */
  readonly columns?: readonly string[];
  readonly noInherit?: boolean;
  readonly notValid?: boolean;
  readonly comment?: string;
}

/** One element of an exclusion constraint: a column or expression, and its operator. */
export type ExclusionElement = IndexElementOptions &
  ({ readonly column: string } | { readonly expression: SqlExpression }) & {
    /** The operator compared with, e.g. `&&` or `=`. */
    readonly with: string;
  };

/** Options of an exclusion constraint. */
export interface ExclusionOptions extends Deferrable {
  /** Access method, default `gist`. */
  readonly using?: string;
  readonly include?: readonly string[];
  readonly where?: SqlExpression;
  readonly comment?: string;
}

export interface ExclusionNode extends ExclusionOptions {
  readonly name: string;
  readonly elements: readonly ExclusionElement[];
}

/** A constraint written as the SQL of `ADD CONSTRAINT name <definition>`. */
export interface RawConstraintNode {
  readonly name: string;
  readonly definition: SqlExpression;
  readonly comment?: string;
}

/** Options of a primary key or unique constraint declared on the table. */
export interface KeyOptions extends Deferrable {
  readonly include?: readonly string[];
  readonly comment?: string;
}

/** PostgreSQL's own name for a constraint: `<table>_<columns>_<label>`, shortened past 63 bytes. */
export function defaultConstraintName(table: string, columns: readonly string[] | null, label: string): string {
  return makeObjectName(table, columns && columns.length > 0 ? columns.join('_') : null, label);
}

/** A foreign key node, its name defaulting to PostgreSQL's. */
export function foreignKeyNode(
  table: string,
  columns: readonly string[],
  references: { readonly schema?: string; readonly table: string; readonly columns: readonly string[] },
  options: ForeignKeyOptions,
): ForeignKeyNode {
  if (columns.length === 0) modelMistake(`A foreign key of table ${table} names no column.`);
  return Object.freeze({
    name: options.name ?? defaultConstraintName(table, columns, 'fkey'),
    columns: [...columns],
    references: { ...(references.schema === undefined ? {} : { schema: references.schema }), table: references.table, columns: [...references.columns] },
    onDelete: options.onDelete ?? 'no action',
    onUpdate: options.onUpdate ?? 'no action',
    deferrable: options.deferrable ?? false,
    initiallyDeferred: options.initiallyDeferred ?? false,
    ...(options.onDeleteColumns ? { onDeleteColumns: [...options.onDeleteColumns] } : {}),
    ...(options.match ? { match: options.match } : {}),
    ...(options.notValid ? { notValid: true } : {}),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  });
}

/** The table a reference names: `'t'` (of the model) or `{ schema, table }`. */
export function referencedTable(table: string | TableRef): { schema?: string; table: string } {
  return typeof table === 'string' ? { table } : { schema: table.schema, table: table.table };
}

/** An exclusion constraint node, its elements checked. */
export function exclusionNode(table: string, name: string, elements: readonly ExclusionElement[], options: ExclusionOptions): ExclusionNode {
  if (elements.length === 0) modelMistake(`Exclusion constraint ${name} of table ${table} has no elements.`);
  for (const e of elements) {
    checkElementOptions(e, `exclusion constraint ${name}`);
    checkSqlText(e.with, `The operator of exclusion constraint ${name}`);
  }
  if (options.using !== undefined) checkSqlText(options.using, `The access method of exclusion constraint ${name}`);
  return Object.freeze({ ...options, name, elements: [...elements] });
}

import { checkSqlText, modelMistake } from './sql-text-check';
import type { SqlExpression } from './schema-scope';

/** How a column gets a value on insert: none, a default (or serial / identity by default), or always generated. */
export type Generation = 'none' | 'default' | 'always';

/** `ON DELETE` / `ON UPDATE` actions of a foreign key. */
export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

/** A number of a sequence: numbers, or digits as text for values past 2^53 (`'9223372036854775807'`). */
export type SequenceNumber = number | bigint | string;

/**
 * A column's type: SQL as written (`integer`, `public.geometry(Point,4326)`, `text[]`), a serial
 * (an integer with a sequence of its own), or an enum or domain of the model.
 */
export type ColumnDataType =
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'serial'; readonly type: 'smallint' | 'integer' | 'bigint' }
  | { readonly kind: 'enum' | 'domain'; readonly name: string; readonly array: boolean };

/** A table of another schema (a table of the model is named by its name alone). */
export interface TableRef {
  readonly schema: string;
  readonly table: string;
}

/** A collation: its name (`'C'`, `'numeric'`), or one of another schema. */
export type CollationRef = string | { readonly schema: string; readonly name: string };

/** Options of a foreign key. */
export interface ForeignKeyOptions {
  /** Default PostgreSQL's own: `<table>_<columns>_fkey`. */
  readonly name?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  /** `ON DELETE SET NULL (columns)` / `SET DEFAULT (columns)`: only these columns. */
  readonly onDeleteColumns?: readonly string[];
  readonly match?: 'simple' | 'full';
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
  /** `NOT VALID`: existing rows are not checked. */
  readonly notValid?: boolean;
  readonly comment?: string;
}

/** A foreign key declared on one column with `.references()`. */
export interface ColumnReference extends ForeignKeyOptions {
  readonly table: string | TableRef;
  readonly column: string;
}

/** Options of an identity column's sequence; unset ones take PostgreSQL's defaults. */
export interface IdentityOptions {
  /** Default `<table>_<column>_seq`. */
  readonly sequenceName?: string;
  readonly start?: SequenceNumber;
  readonly increment?: SequenceNumber;
  readonly minValue?: SequenceNumber;
  readonly maxValue?: SequenceNumber;
  readonly cache?: SequenceNumber;
  readonly cycle?: boolean;
}

/** Options of a check constraint. */
export interface CheckOptions {
  /** Default `<table>_<column>_check` for a column's check. */
  readonly name?: string;
  readonly noInherit?: boolean;
  readonly notValid?: boolean;
  readonly comment?: string;
}

/** A column as plain data. Column-level constraints are moved to the table by `table()`. */
export interface ColumnNode {
  readonly dataType: ColumnDataType;
  readonly nullable: boolean;
  readonly default?: SqlExpression;
  readonly identity?: { readonly generation: 'always' | 'by default'; readonly options: IdentityOptions };
  /** `GENERATED ALWAYS AS (expression) STORED`. */
  readonly generated?: SqlExpression;
  readonly collation?: CollationRef;
  readonly primaryKey?: { readonly name?: string };
  readonly unique?: { readonly name?: string };
  readonly references?: ColumnReference;
  readonly check?: CheckOptions & { readonly expression: SqlExpression };
  readonly comment?: string;
}

/** Values of an `interval` column as node-postgres returns them. */
export interface PgInterval {
  readonly years?: number;
  readonly months?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

/**
 * An immutable column definition; every method returns a new builder.
 *
 * The type parameters carry what Kysely needs: `S` the selected type, `I` the
 * type accepted on insert/update, `N` whether the column is nullable and `G`
 * whether it has a default or is always generated.
 *
 * @example
 * ```ts
 * integer().notNull().references('meta_network', 'network_id', { onDelete: 'cascade' })
 * // "network_id" integer NOT NULL, CONSTRAINT "meta_station_network_id_fkey" FOREIGN KEY ... ON DELETE CASCADE
 * ```
 */
export class ColumnBuilder<S, I, N extends boolean, G extends Generation> {
  declare readonly __select: S;
  declare readonly __insert: I;
  declare readonly __nullable: N;
  declare readonly __generation: G;
  readonly node: ColumnNode;

  constructor(node: ColumnNode) {
    this.node = Object.freeze({ ...node });
    Object.freeze(this);
  }

  /** `NOT NULL`. */
  notNull(): ColumnBuilder<S, I, false, G> {
    return new ColumnBuilder({ ...this.node, nullable: false });
  }

  /** Nullable (the default for everything but primary keys, serials and identities). */
  nullable(): ColumnBuilder<S, I, true, G> {
    return new ColumnBuilder({ ...this.node, nullable: true });
  }

  /** An array of this type: `integer().array()` is `integer[]`. */
  array(): ColumnBuilder<S[], I[], N, G> {
    const type = this.node.dataType;
    if (type.kind === 'serial')
      modelMistake(`a ${type.type === 'integer' ? '' : type.type.replace('int', '')}serial column cannot be an array: use integer().array()`);
    const dataType: ColumnDataType = type.kind === 'sql' ? { kind: 'sql', sql: `${type.sql}[]` } : { ...type, array: true };
    return new ColumnBuilder({ ...this.node, dataType });
  }

  /** `DEFAULT <expression>`, e.g. `sql\`now()\`` or `(s) => sql\`nextval(${s.regclass('seq')})\``. */
  defaultTo(expression: SqlExpression): ColumnBuilder<S, I, N, G extends 'always' ? 'always' : 'default'> {
    return new ColumnBuilder({ ...this.node, default: expression });
  }

  /** `COLLATE <name>`: `text().collate('C')`, or `{ schema, name }` for one of another schema. */
  collate(collation: CollationRef): ColumnBuilder<S, I, N, G> {
    return new ColumnBuilder({ ...this.node, collation });
  }

  /** Makes the column the table's primary key (constraint `<table>_pkey` unless named). */
  primaryKey(name?: string): ColumnBuilder<S, I, false, G> {
    return new ColumnBuilder({ ...this.node, nullable: false, primaryKey: name === undefined ? {} : { name } });
  }

  /** A single-column unique constraint (`<table>_<column>_key` unless named). */
  unique(name?: string): ColumnBuilder<S, I, N, G> {
    return new ColumnBuilder({ ...this.node, unique: name === undefined ? {} : { name } });
  }

  /**
   * A foreign key to `table(column)` (`<table>_<column>_fkey` unless named); `table` is a table
   * of the model, or `{ schema, table }` for one of another schema.
   */
  references(table: string | TableRef, column: string, options: ForeignKeyOptions = {}): ColumnBuilder<S, I, N, G> {
    return new ColumnBuilder({ ...this.node, references: { table, column, ...options } });
  }

  /** A check constraint on this column (`<table>_<column>_check` unless named). */
  check(expression: SqlExpression, nameOrOptions?: string | CheckOptions): ColumnBuilder<S, I, N, G> {
    const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
    return new ColumnBuilder({ ...this.node, check: { ...options, expression } });
  }

  /** `COMMENT ON COLUMN`. */
  comment(text: string): ColumnBuilder<S, I, N, G> {
    return new ColumnBuilder({ ...this.node, comment: text });
  }

  /** `GENERATED ALWAYS AS IDENTITY`: never written by inserts. */
  generatedAlwaysAsIdentity(options: IdentityOptions = {}): ColumnBuilder<S, I, false, 'always'> {
    return new ColumnBuilder({ ...this.node, nullable: false, identity: { generation: 'always', options } });
  }

  /** `GENERATED BY DEFAULT AS IDENTITY`. */
  generatedByDefaultAsIdentity(options: IdentityOptions = {}): ColumnBuilder<S, I, false, 'default'> {
    return new ColumnBuilder({ ...this.node, nullable: false, identity: { generation: 'by default', options } });
  }

  /** `GENERATED ALWAYS AS (<expression>) STORED`: computed from other columns, never written. */
  generatedAlwaysAs(expression: SqlExpression): ColumnBuilder<S, I, N, 'always'> {
    return new ColumnBuilder({ ...this.node, generated: expression });
  }
}

/** Any column builder. */
export type AnyColumn = ColumnBuilder<unknown, unknown, boolean, Generation>;

function sqlType<S, I = S>(sqlText: string): ColumnBuilder<S, I, true, 'none'> {
  return new ColumnBuilder({ dataType: { kind: 'sql', sql: checkSqlText(sqlText, 'The column type') }, nullable: true });
}

function serialType<S, I>(type: 'smallint' | 'integer' | 'bigint'): ColumnBuilder<S, I, false, 'default'> {
  return new ColumnBuilder({ dataType: { kind: 'serial', type }, nullable: false });
}

/**
 * A column of any type, as PostgreSQL spells it, typed by hand: `column<string>('citext')`,
 * `column<unknown>('public.geometry(Point,4326)')`. The text may not end the statement or hold
 * a comment or an open quote or parenthesis.
 */
export function column<S, I = S>(sqlTypeText: string): ColumnBuilder<S, I, true, 'none'> {
  return sqlType<S, I>(sqlTypeText);
}

const withPrecision = (base: string, precision: number | undefined, suffix = '') =>
  precision === undefined ? `${base}${suffix}` : `${base}(${precision})${suffix}`;

export const smallint = () => sqlType<number>('smallint');
export const integer = () => sqlType<number>('integer');
/** node-postgres returns `bigint` as a string. */
export const bigint = () => sqlType<string, string | number | bigint>('bigint');
/** `smallserial`: a smallint with an owned sequence `<table>_<column>_seq`. */
export const smallserial = () => serialType<number, number>('smallint');
/** `serial`: an integer with an owned sequence `<table>_<column>_seq`. */
export const serial = () => serialType<number, number>('integer');
export const bigserial = () => serialType<string, string | number | bigint>('bigint');
/** node-postgres returns `numeric` as a string, to keep its precision. */
export const numeric = (precision?: number, scale?: number) =>
  sqlType<string, string | number>(precision === undefined ? 'numeric' : scale === undefined ? `numeric(${precision})` : `numeric(${precision},${scale})`);
export const real = () => sqlType<number>('real');
export const doublePrecision = () => sqlType<number>('double precision');
export const text = () => sqlType<string>('text');
export const varchar = (length?: number) => sqlType<string>(withPrecision('character varying', length));
export const char = (length = 1) => sqlType<string>(`character(${length})`);
export const boolean = () => sqlType<boolean>('boolean');
export const date = () => sqlType<Date, Date | string>('date');
export const timestamp = (precision?: number) => sqlType<Date, Date | string>(withPrecision('timestamp', precision, ' without time zone'));
export const timestamptz = (precision?: number) => sqlType<Date, Date | string>(withPrecision('timestamp', precision, ' with time zone'));
export const time = (precision?: number) => sqlType<string>(withPrecision('time', precision, ' without time zone'));
export const timetz = (precision?: number) => sqlType<string>(withPrecision('time', precision, ' with time zone'));
export const interval = () => sqlType<PgInterval, PgInterval | string>('interval');
export const uuid = () => sqlType<string>('uuid');
export const bytea = () => sqlType<Buffer>('bytea');
export const json = <T = unknown>() => sqlType<T, T | string>('json');
export const jsonb = <T = unknown>() => sqlType<T, T | string>('jsonb');

/** A column of an enum type of the model; its TypeScript type is the union of the labels. */
export function enumColumn<L extends string>(type: { readonly name: string; readonly labels: readonly L[] }): ColumnBuilder<L, L, true, 'none'> {
  return new ColumnBuilder({ dataType: { kind: 'enum', name: type.name, array: false }, nullable: true });
}

/** A column of a domain of the model; its TypeScript type is the domain's. */
export function domainColumn<T>(type: { readonly name: string; readonly __type?: T }): ColumnBuilder<T, T, true, 'none'> {
  return new ColumnBuilder({ dataType: { kind: 'domain', name: type.name, array: false }, nullable: true });
}

import type { CollationRef } from './column';
import type { SqlExpression } from './schema-scope';
import { checkSqlText } from './sql-text-check';

/** A named check of a domain: `VALUE > 0`. */
export interface DomainCheck {
  readonly name: string;
  readonly expression: SqlExpression;
  readonly notValid?: boolean;
}

/** A domain as plain data. */
export interface DomainNode {
  readonly name: string;
  /** The base type as PostgreSQL spells it: `integer`, `character varying(20)`, `public.citext`. */
  readonly baseType: string;
  readonly notNull?: boolean;
  readonly default?: SqlExpression;
  readonly collation?: CollationRef;
  readonly checks?: readonly DomainCheck[];
  readonly comment?: string;
  /** The owning role; default: whoever creates it. */
  readonly owner?: string;
}

/** A domain of the model; `domainColumn(domain)` makes a column of it, of TypeScript type `T`. */
export interface Domain<Name extends string, T> extends DomainNode {
  readonly name: Name;
  /** Type-level only: the TypeScript type of its values. */
  readonly __type?: T;
}

/**
 * Defines a domain: a base type with constraints.
 *
 * @example
 * ```ts
 * const percent = domain<number>('percent', 'integer', { checks: [{ name: 'percent_range', expression: sql`VALUE BETWEEN 0 AND 100` }] });
 * // CREATE DOMAIN "crmp"."percent" AS integer CONSTRAINT "percent_range" CHECK (VALUE BETWEEN 0 AND 100)
 * ```
 */
export function domain<T = unknown, const Name extends string = string>(
  name: Name,
  baseType: string,
  options: Omit<DomainNode, 'name' | 'baseType'> = {},
): Domain<Name, T> {
  checkSqlText(baseType, `The base type of domain ${name}`);
  if (typeof options.collation === 'string') checkSqlText(options.collation, `The collation of domain ${name}`);
  return Object.freeze({ ...options, name, baseType, checks: Object.freeze([...(options.checks ?? [])]) });
}

import { modelMistake } from './sql-text-check';

/** An enum type as plain data. */
export interface EnumTypeNode {
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment?: string;
  /** The owning role; default: whoever creates it. */
  readonly owner?: string;
}

/** An enum type of the model; `enumColumn(type)` makes a column of it. */
export interface EnumType<Name extends string, Label extends string> extends EnumTypeNode {
  readonly name: Name;
  readonly labels: readonly Label[];
}

/**
 * Defines an enum type.
 *
 * @example
 * ```ts
 * const stationType = enumType('climo_station_type', ['long-record', 'composite', 'prism']);
 * // CREATE TYPE "crmp"."climo_station_type" AS ENUM ('long-record', 'composite', 'prism')
 * ```
 */
export function enumType<const Name extends string, const Label extends string>(
  name: Name,
  labels: readonly Label[],
  options: { comment?: string; owner?: string } = {},
): EnumType<Name, Label> {
  if (labels.length === 0) modelMistake(`Enum ${name} has no labels: give it at least one.`);
  if (new Set(labels).size !== labels.length) modelMistake(`Enum ${name} has a label twice.`);
  return Object.freeze({ name, labels: Object.freeze([...labels]), ...options });
}

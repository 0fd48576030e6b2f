/** An enum type as plain data. */
export interface EnumTypeNode {
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment?: string;
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
 * // create type "crmp"."climo_station_type" as enum ('long-record', 'composite', 'prism')
 * ```
 */
export function enumType<const Name extends string, const Label extends string>(
  name: Name,
  labels: readonly Label[],
  options: { comment?: string } = {},
): EnumType<Name, Label> {
  if (labels.length === 0) throw new TypeError(`enum ${name} has no labels`);
  return Object.freeze({ name, labels: Object.freeze([...labels]), ...options });
}

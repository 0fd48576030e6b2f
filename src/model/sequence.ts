/** A standalone sequence as plain data. */
export interface SequenceNode {
  readonly name: string;
  readonly as?: 'smallint' | 'integer' | 'bigint';
  readonly start?: number;
  readonly increment?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly cache?: number;
  readonly cycle?: boolean;
  /** `ALTER SEQUENCE ... OWNED BY table.column`, applied once the table exists. */
  readonly ownedBy?: { readonly table: string; readonly column: string };
  readonly comment?: string;
}

/**
 * Defines a standalone sequence (serial and identity columns make their own).
 *
 * @example
 * ```ts
 * sequence('obs_raw_id_seq', { as: 'bigint' });
 * // create sequence "crmp"."obs_raw_id_seq" as bigint
 * ```
 */
export function sequence(name: string, options: Omit<SequenceNode, 'name'> = {}): SequenceNode {
  return Object.freeze({ name, ...options });
}

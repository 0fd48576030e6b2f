import type { SequenceNumber } from './column';

/** A standalone sequence as plain data. */
export interface SequenceNode {
  readonly name: string;
  readonly as?: 'smallint' | 'integer' | 'bigint';
  readonly start?: SequenceNumber;
  readonly increment?: SequenceNumber;
  readonly minValue?: SequenceNumber;
  readonly maxValue?: SequenceNumber;
  readonly cache?: SequenceNumber;
  readonly cycle?: boolean;
  /** `ALTER SEQUENCE ... OWNED BY table.column`, applied once the table exists. */
  readonly ownedBy?: { readonly table: string; readonly column: string };
  readonly comment?: string;
  /** The owning role; default: whoever creates it. */
  readonly owner?: string;
}

/**
 * Defines a standalone sequence (serial and identity columns make their own).
 *
 * @example
 * ```ts
 * sequence('obs_raw_id_seq', { as: 'bigint' });
 * // CREATE SEQUENCE "crmp"."obs_raw_id_seq"
 * ```
 */
export function sequence(name: string, options: Omit<SequenceNode, 'name'> = {}): SequenceNode {
  return Object.freeze({ name, ...options });
}

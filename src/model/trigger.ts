import type { SqlExpression } from './schema-scope';

/** A trigger as plain data. */
export interface TriggerNode {
  readonly name: string;
  readonly table: string;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate')[];
  /** `UPDATE OF <columns>`. */
  readonly updateOf?: readonly string[];
  readonly forEach: 'row' | 'statement';
  readonly when?: SqlExpression;
  /** A function of the model, returning `trigger`. */
  readonly function: string;
  /** String arguments passed to the function (`TG_ARGV`). */
  readonly args?: readonly string[];
  readonly comment?: string;
}

/**
 * Defines a trigger.
 *
 * @example
 * ```ts
 * trigger('obs_raw_set_mod_time', { table: 'obs_raw', timing: 'before', events: ['update'], forEach: 'row', function: 'set_mod_time' });
 * // create trigger "obs_raw_set_mod_time" before update on "crmp"."obs_raw" for each row execute function "crmp"."set_mod_time"()
 * ```
 */
export function trigger(name: string, options: Omit<TriggerNode, 'name'>): TriggerNode {
  if (options.events.length === 0) throw new TypeError(`trigger ${name} has no events`);
  return Object.freeze({ name, ...options });
}

import type { SqlExpression } from './schema-scope';
import { modelMistake } from './sql-text-check';

/** A trigger as plain data. */
export interface TriggerNode {
  readonly name: string;
  /** The table or view (of the model) it is on. */
  readonly table: string;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate')[];
  /** `UPDATE OF <columns>`. */
  readonly updateOf?: readonly string[];
  readonly forEach: 'row' | 'statement';
  /** The condition, as written after `WHEN`: `sql\`new.x is distinct from old.x\``. */
  readonly when?: SqlExpression;
  /** A function of the model returning `trigger`, or `{ schema, name }` for one of another schema. */
  readonly function: string | { readonly schema: string; readonly name: string };
  /** String arguments passed to the function (`TG_ARGV`). */
  readonly args?: readonly string[];
  /** `REFERENCING OLD TABLE AS x NEW TABLE AS y` (transition tables of AFTER triggers). */
  readonly referencing?: { readonly oldTable?: string; readonly newTable?: string };
  /** A `CONSTRAINT TRIGGER`: deferrable, and possibly tied to another table (`FROM`). */
  readonly constraint?: {
    readonly deferrable?: boolean;
    readonly initiallyDeferred?: boolean;
    readonly from?: string | { readonly schema: string; readonly table: string };
  };
  /** `ALTER TABLE ... DISABLE TRIGGER` and friends; default `origin` (enabled). */
  readonly enabled?: 'origin' | 'disabled' | 'replica' | 'always';
  readonly comment?: string;
}

/**
 * Defines a trigger.
 *
 * @example
 * ```ts
 * trigger('obs_raw_set_mod_time', { table: 'obs_raw', timing: 'before', events: ['update'], forEach: 'row', function: 'set_mod_time' });
 * // CREATE TRIGGER "obs_raw_set_mod_time" BEFORE UPDATE ON "crmp"."obs_raw" FOR EACH ROW EXECUTE FUNCTION "crmp"."set_mod_time"()
 * ```
 */
export function trigger(name: string, options: Omit<TriggerNode, 'name'>): TriggerNode {
  if (options.events.length === 0) modelMistake(`Trigger ${name} has no events: name at least one of insert, update, delete, truncate.`);
  if (options.updateOf && options.updateOf.length > 0 && !options.events.includes('update')) {
    modelMistake(`Trigger ${name} names updateOf columns but has no update event.`);
  }
  return Object.freeze({ name, ...options });
}

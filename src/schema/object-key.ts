import type { ObjectKey, Routine } from './snapshot';
import { quoteIdent } from './sql-text';

/** Quotes one name part of a key the way PostgreSQL quotes identifiers, always. */
const part = quoteIdent;

/**
 * Builds the keys that name objects inside a snapshot and its dependency list.
 *
 * @example
 * ```ts
 * objectKey.column('orders', 'status') // 'column:"orders"."status"'
 * ```
 */
export const objectKey = {
  extension: (name: string): ObjectKey => `extension:${part(name)}`,
  collation: (name: string): ObjectKey => `collation:${part(name)}`,
  /** Enums and domains (they share pg_type's namespace). */
  type: (name: string): ObjectKey => `type:${part(name)}`,
  sequence: (name: string): ObjectKey => `sequence:${part(name)}`,
  /** The `OWNED BY` link of a sequence, apart from the sequence so the two can be ordered. */
  sequenceOwner: (name: string): ObjectKey => `seqowner:${part(name)}`,
  table: (name: string): ObjectKey => `table:${part(name)}`,
  column: (table: string, column: string): ObjectKey => `column:${part(table)}.${part(column)}`,
  columnDefault: (table: string, column: string): ObjectKey => `default:${part(table)}.${part(column)}`,
  constraint: (table: string, name: string): ObjectKey => `constraint:${part(table)}.${part(name)}`,
  index: (table: string, name: string): ObjectKey => `index:${part(table)}.${part(name)}`,
  /** Views and materialized views. */
  view: (name: string): ObjectKey => `view:${part(name)}`,
  routine: (name: string, argumentTypes: string): ObjectKey => `routine:${part(name)}(${argumentTypes})`,
  trigger: (table: string, name: string): ObjectKey => `trigger:${part(table)}.${part(name)}`,
  policy: (table: string, name: string): ObjectKey => `policy:${part(table)}.${part(name)}`,
} as const;

/** Key of a routine. */
export function routineKey(routine: Pick<Routine, 'name' | 'argumentTypes'>): ObjectKey {
  return objectKey.routine(routine.name, routine.argumentTypes);
}

/** The kind prefix of a key (`column`, `table`, ...). */
export function keyKind(key: ObjectKey): string {
  return key.slice(0, key.indexOf(':'));
}

/** The (unquoted) name parts of a key: `column:"t"."a"` -> ['t', 'a']. */
export function keyParts(key: ObjectKey): string[] {
  const body = key.slice(key.indexOf(':') + 1);
  const parts: string[] = [];
  let i = 0;
  while (i < body.length && body[i] === '"') {
    let j = i + 1;
    let name = '';
    while (j < body.length) {
      if (body[j] === '"') {
        if (body[j + 1] === '"') {
          name += '"';
          j += 2;
          continue;
        }
        break;
      }
      name += body[j];
      j++;
    }
    parts.push(name);
    i = j + 1;
    if (body[i] === '.') i++;
    else break;
  }
  return parts;
}

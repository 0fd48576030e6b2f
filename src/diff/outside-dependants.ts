/**
 * A single-schema diff cannot order what it does with objects of other schemas: dropping or
 * re-creating an object that another schema's object depends on would fail on apply (or, for
 * a partition, take it along). The diff refuses instead, naming the dependant.
 */
import { RetortError } from '../errors';
import { keyKind, keyParts } from '../schema/object-key';
import type { ObjectKey, OutsideDependant } from '../schema/snapshot';
import type { Planned } from './planned';

/** `table "t"`, `column "t"."a"`, `constraint "t_pkey" on "t"`, ... */
export function describeKey(key: ObjectKey): string {
  const kind = keyKind(key);
  const parts = keyParts(key);
  switch (kind) {
    case 'column':
    case 'default':
      return `${kind === 'default' ? 'the default of column' : 'column'} "${parts[0]}"."${parts[1]}"`;
    case 'constraint':
    case 'index':
    case 'trigger':
    case 'policy':
      return `${kind} "${parts[1]}" on "${parts[0]}"`;
    case 'routine':
      return `function ${key.slice(key.indexOf(':') + 1)}`;
    default:
      return `${kind} "${parts[0]}"`;
  }
}

/**
 * Throws when a planned operation drops or re-creates an object that an object of another
 * schema depends on. Renames and in-place view replacements keep dependants working, and a
 * type change leaves the other schema's constraints to PostgreSQL.
 */
export function refuseOutsideDependants(outside: readonly OutsideDependant[], planned: readonly Planned[]): void {
  if (outside.length === 0) return;
  const byObject = new Map<ObjectKey, OutsideDependant[]>();
  for (const d of outside) {
    const list = byObject.get(d.object);
    if (list) list.push(d);
    else byObject.set(d.object, [d]);
  }
  for (const p of planned) {
    if (p.rename || p.op.kind === 'replaceView') continue;
    for (const key of p.removes) {
      const found = (byObject.get(key) ?? []).filter((d) => p.op.kind !== 'alterColumnType' || d.kind !== 'table constraint');
      if (found.length === 0) continue;
      const first = found[0]!;
      throw new RetortError(
        'OUTSIDE_DEPENDANT',
        `Cannot drop or re-create ${describeKey(key)} (${p.op.kind}): ${first.description} in schema "${first.schema}" depends on it${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}. Change or drop that first, or compare that schema too.`,
      );
    }
  }
}

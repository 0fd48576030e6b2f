import type { View } from './snapshot';

/**
 * PostgreSQL's rule for `CREATE OR REPLACE VIEW`: a plain view may be replaced in place
 * when its old columns stay first, with the same names, types and collations (new columns
 * may only be added at the end).
 *
 * @example
 * ```ts
 * replaceableInPlace(viewWithColumns(['a']), viewWithColumns(['a', 'b'])) // true
 * ```
 */
export function replaceableInPlace(from: View, to: View): boolean {
  if (from.materialized || to.materialized) return false;
  if (to.columns.length < from.columns.length) return false;
  return from.columns.every((c, i) => {
    const t = to.columns[i]!;
    return t.name === c.name && t.type === c.type && t.collation === c.collation;
  });
}

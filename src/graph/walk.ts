import { RevisionRangeError } from './graph-errors';
import { toTarget, type TargetInput } from './plan';
import type { Revision } from './revision';
import type { Topology } from './topology';
import { markAncestors, markDescendants } from './traversal';

/**
 * The revisions from `upper` down to `lower`, both ends included, newest first:
 * what `history -r lower:upper` prints. `upper` defaults to all heads and
 * `lower` to base. Relative arguments count from `currentHeads`.
 *
 * @throws RevisionRangeError when `lower` is not at or below `upper`.
 */
export function walkRange(t: Topology, upper?: TargetInput, lower?: TargetInput, currentHeads?: readonly string[]): Revision[] {
  const top = upper === undefined ? [...t.heads] : indicesOf(t, toTarget(t, upper, currentHeads).ids);
  const bottom = lower === undefined ? [] : indicesOf(t, toTarget(t, lower, currentHeads).ids);
  const below = markAncestors(t, top, { inclusive: true });
  const outside = bottom.filter((i) => below[i] === 0);
  if (outside.length > 0) {
    throw new RevisionRangeError({ lower: outside.map((i) => t.order[i]!.id), upper: top.map((i) => t.order[i]!.id) });
  }
  const above = bottom.length === 0 ? undefined : markDescendants(t, bottom, { inclusive: true });
  const out: Revision[] = [];
  for (let i = below.length - 1; i >= 0; i--) {
    if (below[i] !== 0 && (above === undefined || above[i] !== 0)) out.push(t.order[i]!);
  }
  return out;
}

function indicesOf(t: Topology, ids: readonly string[]): number[] {
  return ids.map((id) => t.index.get(id)!);
}

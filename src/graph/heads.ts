import { NothingToMergeError } from './graph-errors';
import type { Step } from './revision';
import { indexOfId, resolveTarget } from './target';
import type { Topology } from './topology';
import { isAncestorOrSelf, maximal } from './traversal';

function ids(t: Topology, indices: readonly number[]): string[] {
  return indices.map((i) => t.order[i]!.id);
}

function indices(t: Topology, heads: readonly string[]): number[] {
  return [...new Set(heads)].map((id) => indexOfId(t, id));
}

/**
 * The version-table heads after running `step`, the way Alembic keeps them.
 * Upgrading R drops every head that R builds on (its down revisions, or
 * anything below it through dependsOn) and adds R. Downgrading R removes R and
 * adds back each of its down revisions and dependencies that no remaining head
 * (or other parent of R) already includes; a base revision adds nothing.
 * Upgrading something already applied, or downgrading something that is not a
 * head, leaves the heads as they are. Result in topological order.
 *
 * @example
 * ```ts
 * graph.nextHeads(['a'], { revision: graph.get('b')!, direction: 'up' }); // ['b']
 * graph.nextHeads(['m'], { revision: graph.get('m')!, direction: 'down' }); // ['x', 'y'] for a merge m of x and y
 * ```
 */
export function nextHeads(t: Topology, heads: readonly string[], step: Step): string[] {
  const r = indexOfId(t, step.revision.id);
  const current = indices(t, heads);
  let next: number[];
  if (step.direction === 'up') {
    // The heads stay across steps while R moves: tell the ancestry test which side to cache.
    if (current.some((h) => isAncestorOrSelf(t, r, h, 'descendant')))
      return ids(
        t,
        current.sort((a, b) => a - b),
      );
    next = current.filter((h) => !isAncestorOrSelf(t, h, r, 'ancestor'));
    next.push(r);
  } else {
    if (!current.includes(r))
      return ids(
        t,
        current.sort((a, b) => a - b),
      );
    next = current.filter((h) => h !== r);
    const parents = t.parents[r]!;
    const restore = parents.filter(
      (p) => !next.some((h) => isAncestorOrSelf(t, p, h, 'descendant')) && !parents.some((q) => q !== p && isAncestorOrSelf(t, p, q, 'descendant')),
    );
    next.push(...restore);
  }
  return ids(
    t,
    next.sort((a, b) => a - b),
  );
}

/**
 * Normalises stamp targets to the heads a version table should hold: drops
 * every id that is an ancestor of another (through down revisions or dependsOn).
 *
 * @example
 * ```ts
 * graph.headsFor(['a', 'c', 'b']); // ['c'] on a chain a <- b <- c
 * ```
 */
export function headsFor(t: Topology, revisionIds: readonly string[]): string[] {
  return ids(t, maximal(t, indices(t, revisionIds)));
}

/**
 * The parents for `migrate merge`: the graph's heads, or the heads among the
 * given target arguments, when there are at least two.
 *
 * @throws NothingToMergeError when fewer than two heads remain.
 */
export function mergeParents(t: Topology, targets?: readonly string[]): string[] {
  const heads =
    targets === undefined
      ? [...t.heads]
      : maximal(
          t,
          targets.flatMap((a) => resolveTarget(t, a).ids.map((id) => t.index.get(id)!)),
        );
  if (heads.length < 2) throw new NothingToMergeError({ heads: ids(t, heads) });
  return ids(t, heads);
}

import type { Topology } from './topology';
import { markAncestors, markDescendants } from './traversal';

/**
 * The revisions a branch label covers, as Alembic counts them: the labelled
 * revision, everything above it, and the plain chain below it down to (not
 * including) the branch point or merge point it grew from. Memoised per label.
 */
export function branchMembers(t: Topology, label: string): Uint8Array | undefined {
  const cached = t.memberCache.get(label);
  if (cached !== undefined) return cached;
  const declared = t.labels.get(label);
  if (declared === undefined) return undefined;
  const members = markDescendants(t, [declared], { inclusive: true, edges: 'down' });
  let v = declared;
  while (t.down[v]!.length === 1) {
    const p = t.down[v]![0]!;
    if (t.downChildren[p]!.length !== 1 || t.down[p]!.length > 1) break;
    members[p] = 1;
    v = p;
  }
  t.memberCache.set(label, members);
  return members;
}

/** The line through a revision: its down-revision ancestors and descendants, itself included. */
export function lineage(t: Topology, index: number): Uint8Array {
  const members = markDescendants(t, [index], { inclusive: true, edges: 'down' });
  const below = markAncestors(t, [index], { inclusive: false, edges: 'down' });
  for (let i = 0; i < members.length; i++) if (below[i] !== 0) members[i] = 1;
  return members;
}

/** Members whose down revisions are all outside the set: where walking up into it starts. */
export function roots(t: Topology, members: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < members.length; i++) {
    if (members[i] !== 0 && t.down[i]!.every((p) => members[p] === 0)) out.push(i);
  }
  return out;
}

/** Every branch label whose branch contains the revision, sorted. */
export function labelsOf(t: Topology, index: number): string[] {
  const out: string[] = [];
  for (const label of t.labels.keys()) {
    if (branchMembers(t, label)![index] !== 0) out.push(label);
  }
  return out.sort();
}

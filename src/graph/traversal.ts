import type { Topology } from './topology';

/** Which edges a traversal follows: down revisions and dependencies, or down revisions only. */
export type Edges = 'all' | 'down';

/**
 * Marks every ancestor of `starts` (and `starts` themselves when `inclusive`).
 * One pass over the reachable part of the graph: O(revisions + edges).
 */
export function markAncestors(t: Topology, starts: Iterable<number>, options: { inclusive: boolean; edges?: Edges }): Uint8Array {
  return mark(t, starts, options.inclusive, options.edges === 'down' ? t.down : t.parents);
}

/** Marks every descendant of `starts` (and `starts` themselves when `inclusive`). */
export function markDescendants(t: Topology, starts: Iterable<number>, options: { inclusive: boolean; edges?: Edges }): Uint8Array {
  return mark(t, starts, options.inclusive, options.edges === 'down' ? t.downChildren : t.children);
}

function mark(t: Topology, starts: Iterable<number>, inclusive: boolean, next: readonly (readonly number[])[]): Uint8Array {
  const marks = new Uint8Array(t.order.length);
  const stack: number[] = [];
  for (const s of starts) {
    if (inclusive) {
      if (marks[s] === 0) {
        marks[s] = 1;
        stack.push(s);
      }
    } else {
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of next[v]!) {
      if (marks[w] === 0) {
        marks[w] = 1;
        stack.push(w);
      }
    }
  }
  return marks;
}

/** The marked indices, ascending (which is topological order). */
export function marked(marks: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i] !== 0) out.push(i);
  return out;
}

/** Nodes a pruned walk may visit before {@link isAncestorOrSelf} switches to a cached full marking. */
const WALK_BUDGET = 256;
/** Cached markings kept per topology; each costs one byte per revision. */
const CACHE_LIMIT = 16;

/**
 * True when `ancestor` is `descendant` or one of its ancestors (all edges).
 *
 * A short walk down from `descendant`, never below `ancestor`'s index, answers
 * the common cases (a parent, a nearby revision) at once. When the walk grows
 * long, the side named by `stable` (the one callers ask about again and again,
 * such as a head that stays while another branch moves) gets a full marking
 * that is cached, so that stepping a plan of N revisions costs O(N) overall
 * instead of O(N^2).
 */
export function isAncestorOrSelf(t: Topology, ancestor: number, descendant: number, stable: 'ancestor' | 'descendant' = 'descendant'): boolean {
  if (ancestor === descendant) return true;
  if (ancestor > descendant) return false;
  const cachedAbove = t.markCache.get(`d${ancestor}`);
  if (cachedAbove !== undefined) return cachedAbove[descendant] !== 0;
  const cachedBelow = t.markCache.get(`a${descendant}`);
  if (cachedBelow !== undefined) return cachedBelow[ancestor] !== 0;

  const seen = new Set<number>();
  const stack = [descendant];
  while (stack.length > 0 && seen.size < WALK_BUDGET) {
    const v = stack.pop()!;
    for (const p of t.parents[v]!) {
      if (p === ancestor) return true;
      if (p > ancestor && !seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  if (stack.length === 0) return false;

  const key = stable === 'ancestor' ? `d${ancestor}` : `a${descendant}`;
  const marks = stable === 'ancestor' ? markDescendants(t, [ancestor], { inclusive: true }) : markAncestors(t, [descendant], { inclusive: true });
  if (t.markCache.size >= CACHE_LIMIT) t.markCache.delete(t.markCache.keys().next().value!);
  t.markCache.set(key, marks);
  return stable === 'ancestor' ? marks[descendant] !== 0 : marks[ancestor] !== 0;
}

/** Drops every index that is an ancestor of another; the rest ascending, without duplicates. */
export function maximal(t: Topology, indices: Iterable<number>): number[] {
  const unique = [...new Set(indices)].sort((a, b) => a - b);
  if (unique.length <= 1) return unique;
  const below = markAncestors(t, unique, { inclusive: false });
  return unique.filter((i) => below[i] === 0);
}

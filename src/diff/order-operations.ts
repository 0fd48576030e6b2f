/**
 * Orders planned operations by the recorded dependencies (never by trial and error):
 *
 *  1. an operation that creates or changes X runs after the operations that create or
 *     change what X depends on in the target;
 *  2. an operation that drops or changes X runs after the operations that drop or change
 *     what depends on X in the source (renames wait only for plain drops);
 *  3. a name is freed before it is taken again;
 *  4. explicit `after` edges.
 *
 * Among operations that are free to run, the lower phase goes first, then the order of
 * planning. A dependency cycle (which the catalog should not produce) is broken by phase.
 */
import type { ObjectKey } from '../schema/snapshot';
import type { DependencyGraph } from './dependency-graph';
import type { Planned } from './planned';

export function orderOperations(planned: readonly Planned[], from: DependencyGraph, to: DependencyGraph): Planned[] {
  const n = planned.length;
  const index = new Map<Planned, number>(planned.map((p, i) => [p, i]));
  const adders = new Map<ObjectKey, number[]>();
  const removers = new Map<ObjectKey, number[]>();
  const claimers = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  planned.forEach((p, i) => {
    for (const k of p.adds) push(adders, k, i);
    for (const k of p.removes) push(removers, k, i);
    for (const c of p.claims) push(claimers, c, i);
  });

  const successors: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const edge = (before: number, after: number) => {
    if (before !== after) successors[before]!.add(after);
  };
  planned.forEach((p, i) => {
    for (const k of p.adds) {
      for (const d of to.dependenciesOf(k)) for (const x of adders.get(d) ?? []) edge(x, i);
    }
    for (const r of p.requires) for (const x of adders.get(r) ?? []) edge(x, i);
    for (const k of p.removes) {
      for (const j of from.dependantsOf(k)) {
        for (const y of removers.get(j) ?? []) {
          // a rename never blocks anything; before a rename only plain drops must go
          if (planned[y]!.rename || (p.rename && !planned[y]!.pureDrop)) continue;
          edge(y, i);
        }
      }
      // dropping X and creating X again: the drop goes first
      if (p.pureDrop) for (const y of adders.get(k) ?? []) if (!planned[y]!.rename) edge(i, y);
    }
    for (const f of p.frees) for (const y of claimers.get(f) ?? []) edge(i, y);
    for (const a of p.after) {
      const x = index.get(a);
      if (x !== undefined) edge(x, i);
    }
  });

  const indegree = new Array<number>(n).fill(0);
  for (const s of successors) for (const j of s) indegree[j]!++;
  const done = new Array<boolean>(n).fill(false);
  const rank = (i: number) => planned[i]!.phase * n + i;
  // a binary heap keyed by rank keeps this fast for large diffs
  const heap: number[] = [];
  const up = (k: number) => {
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (rank(heap[parent]!) <= rank(heap[k]!)) break;
      [heap[parent], heap[k]] = [heap[k]!, heap[parent]!];
      k = parent;
    }
  };
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && rank(heap[l]!) < rank(heap[m]!)) m = l;
      if (r < heap.length && rank(heap[r]!) < rank(heap[m]!)) m = r;
      if (m === k) return;
      [heap[m], heap[k]] = [heap[k]!, heap[m]!];
      k = m;
    }
  };
  const pushHeap = (i: number) => {
    heap.push(i);
    up(heap.length - 1);
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    return top;
  };
  for (let i = 0; i < n; i++) if (indegree[i] === 0) pushHeap(i);
  const out: Planned[] = [];
  while (out.length < n) {
    let next: number;
    if (heap.length > 0) next = pop();
    else {
      // cycle: take the earliest remaining operation
      next = -1;
      for (let i = 0; i < n; i++) if (!done[i] && (next < 0 || rank(i) < rank(next))) next = i;
    }
    if (done[next]) continue;
    done[next] = true;
    out.push(planned[next]!);
    for (const j of successors[next]!) {
      indegree[j]!--;
      if (indegree[j] === 0 && !done[j]) pushHeap(j);
    }
  }
  return out;
}

import {
  CycleError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidRevisionError,
  MissingDependencyError,
  MissingDownRevisionError,
} from './graph-errors';
import type { Revision } from './revision';

/**
 * The validated graph as index arrays. A revision's index is its position in
 * topological order, so every ancestor has a smaller index than its descendants:
 * traversals prune on that and results come out ordered by a linear scan.
 */
export interface Topology {
  /** Revisions in topological order, base first. */
  readonly order: readonly Revision[];
  /** Revision id -> index. */
  readonly index: ReadonlyMap<string, number>;
  /** Down revisions as indices, in declared order, duplicates removed. */
  readonly down: readonly (readonly number[])[];
  /** Resolved `dependsOn` that are not also down revisions. */
  readonly deps: readonly (readonly number[])[];
  /** `down` followed by `deps`: every edge that orders revisions. */
  readonly parents: readonly (readonly number[])[];
  /** Revisions naming this one as a down revision, ascending. */
  readonly downChildren: readonly (readonly number[])[];
  /** Revisions naming this one as a down revision or dependency, ascending. */
  readonly children: readonly (readonly number[])[];
  /** Branch label -> index of the revision that declares it. */
  readonly labels: ReadonlyMap<string, number>;
  /** Revisions without down-revision children, ascending. */
  readonly heads: readonly number[];
  /** Revisions without down revisions, ascending. */
  readonly bases: readonly number[];
  /** Revisions with more than one down-revision child, ascending. */
  readonly branchPoints: readonly number[];
  /** Memo of branch membership per label (see branches.ts); filled lazily. */
  readonly memberCache: Map<string, Uint8Array>;
  /** Small memo of full ancestor (`a<index>`) and descendant (`d<index>`) markings (see traversal.ts). */
  readonly markCache: Map<string, Uint8Array>;
}

/** Words that targets use, so no revision or label may be called that. */
const RESERVED = new Set(['head', 'heads', 'base', 'current']);

function checkName(kind: 'id' | 'label', name: unknown, r: Revision): void {
  const id = typeof r.id === 'string' ? r.id : String(r.id);
  const what = kind === 'id' ? 'its id' : `its branch label ${JSON.stringify(name)}`;
  if (typeof name !== 'string' || name === '') {
    throw new InvalidRevisionError({ id, ...src(r), reason: kind === 'id' ? 'its id is empty' : 'it has an empty branch label' });
  }
  if (RESERVED.has(name)) {
    throw new InvalidRevisionError({ id, ...src(r), reason: `${what} is the reserved word "${name}"` });
  }
  // `@` separates a branch from a revision, `+`/`-` start relative steps, `:` splits history ranges.
  const illegal = kind === 'id' ? /[@+\-:\s,]/ : /[@:\s,]/;
  const bad = illegal.exec(name);
  if (bad) {
    const shown = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
    throw new InvalidRevisionError({ id, ...src(r), reason: `${what} contains ${shown}` });
  }
}

function src(r: Revision): { source?: string } {
  return r.source === undefined ? {} : { source: r.source };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Validates revisions and computes the {@link Topology}. Throws the first problem
 * found, checking in this order: ids, duplicates, labels, down revisions,
 * dependencies, cycles.
 */
export function buildTopology(input: Iterable<Revision>): Topology {
  const revs = [...input];
  const n = revs.length;

  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = revs[i]!;
    checkName('id', r.id, r);
    if (byId.has(r.id)) {
      throw new DuplicateRevisionError({ id: r.id, sources: revs.filter((x) => x.id === r.id).map((x) => x.source) });
    }
    byId.set(r.id, i);
  }

  const labels = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = revs[i]!;
    for (const label of r.branchLabels) {
      checkName('label', label, r);
      if (byId.has(label)) {
        throw new DuplicateBranchLabelError({ label, ids: [r.id, label], sources: [r.source], clashesWithId: true });
      }
      const other = labels.get(label);
      if (other === i) continue;
      if (other !== undefined) {
        const owners = revs.filter((x) => x.branchLabels.includes(label));
        throw new DuplicateBranchLabelError({ label, ids: owners.map((x) => x.id), sources: owners.map((x) => x.source) });
      }
      labels.set(label, i);
    }
  }

  const down: number[][] = [];
  const deps: number[][] = [];
  let anyDeps = false;
  for (let i = 0; i < n; i++) {
    const r = revs[i]!;
    const mine: number[] = r.downRevisions.length === 0 ? EMPTY : [];
    for (const d of r.downRevisions) {
      if (d === r.id) throw new CycleError({ ids: [r.id, r.id], ...src(r) });
      const p = byId.get(d);
      if (p === undefined) throw new MissingDownRevisionError({ id: r.id, missing: d, ...src(r) });
      if (!mine.includes(p)) mine.push(p);
    }
    const extra: number[] = r.dependsOn.length === 0 ? EMPTY : [];
    for (const d of r.dependsOn) {
      // Alembic lets dependsOn name a branch label, meaning the revision that declares it.
      const p = byId.get(d) ?? labels.get(d);
      if (p === undefined) throw new MissingDependencyError({ id: r.id, missing: d, ...src(r) });
      if (p === i) throw new CycleError({ ids: [r.id, r.id], ...src(r) });
      if (!mine.includes(p) && !extra.includes(p)) extra.push(p);
    }
    down.push(mine);
    deps.push(extra);
    if (extra.length > 0) anyDeps = true;
  }

  const rank = topologicalRanks(revs, down, deps);

  const order: Revision[] = new Array<Revision>(n);
  for (let i = 0; i < n; i++) order[rank[i]!] = revs[i]!;
  // byId is not needed any more: reuse it rather than hash every id again.
  const index = byId;
  for (let i = 0; i < n; i++) index.set(revs[i]!.id, rank[i]!);

  // Lists are shared where they are equal (and EMPTY when empty): on large graphs
  // allocation, not traversal, dominates the build.
  const relabel = (list: number[]): number[] => (list.length === 0 ? EMPTY : list.map((p) => rank[p]!));
  const tDown: number[][] = new Array<number[]>(n);
  const tDeps: number[][] = new Array<number[]>(n);
  const parents: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    const k = rank[i]!;
    tDown[k] = relabel(down[i]!);
    tDeps[k] = relabel(deps[i]!);
    parents[k] = tDeps[k]!.length === 0 ? tDown[k]! : [...tDown[k]!, ...tDeps[k]!];
  }
  const downChildren = childLists(tDown);
  const children = anyDeps ? childLists(parents) : downChildren;

  const tLabels = new Map<string, number>();
  for (const [label, i] of labels) tLabels.set(label, rank[i]!);

  const heads: number[] = [];
  const bases: number[] = [];
  const branchPoints: number[] = [];
  for (let k = 0; k < n; k++) {
    if (downChildren[k]!.length === 0) heads.push(k);
    if (tDown[k]!.length === 0) bases.push(k);
    if (downChildren[k]!.length > 1) branchPoints.push(k);
  }

  return {
    order,
    index,
    down: tDown,
    deps: tDeps,
    parents,
    downChildren,
    children,
    labels: tLabels,
    heads,
    bases,
    branchPoints,
    memberCache: new Map(),
    markCache: new Map(),
  };
}

/** Shared by every empty list; never mutated. */
const EMPTY: number[] = [];

/** Inverts parent lists. Visiting children in ascending order keeps each list sorted without a sort. */
function childLists(parents: readonly (readonly number[])[]): number[][] {
  const out: number[][] = new Array<number[]>(parents.length).fill(EMPTY);
  for (let k = 0; k < parents.length; k++) {
    for (const p of parents[k]!) {
      if (out[p] === EMPTY) out[p] = [k];
      else out[p]!.push(k);
    }
  }
  return out;
}

/**
 * Kahn's algorithm with a stack instead of a queue, so that a branch is emitted
 * to its end before its sibling starts (history and plans read branch by branch).
 * Ties go to the smaller id, which makes the order independent of input order.
 * Returns each input position's rank; throws {@link CycleError} if some are left.
 */
function topologicalRanks(revs: readonly Revision[], down: number[][], deps: number[][]): Int32Array {
  const n = revs.length;
  const pending = new Int32Array(n);
  const kids = childLists(down.map((d, i) => (deps[i]!.length === 0 ? d : [...d, ...deps[i]!])));
  for (let i = 0; i < n; i++) pending[i] = down[i]!.length + deps[i]!.length;
  const descendingId = (a: number, b: number): number => byCodeUnits(revs[b]!.id, revs[a]!.id);

  const stack: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) stack.push(i);
  stack.sort(descendingId);

  const rank = new Int32Array(n).fill(-1);
  let next = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    rank[v] = next++;
    const before = stack.length;
    for (const c of kids[v]!) if (--pending[c]! === 0) stack.push(c);
    if (stack.length - before > 1) {
      const ready = stack.splice(before).sort(descendingId);
      for (const c of ready) stack.push(c);
    }
  }
  if (next < n) throw new CycleError(findCycle(revs, down, deps, rank));
  return rank;
}

/** Every revision left unranked has an unranked parent, so following those must loop. */
function findCycle(revs: readonly Revision[], down: number[][], deps: number[][], rank: Int32Array): { ids: string[]; source?: string } {
  let start = -1;
  for (let i = 0; i < revs.length; i++) {
    if (rank[i] === -1 && (start === -1 || revs[i]!.id < revs[start]!.id)) start = i;
  }
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let v = start;
  while (!seenAt.has(v)) {
    seenAt.set(v, path.length);
    path.push(v);
    v = [...down[v]!, ...deps[v]!].find((p) => rank[p] === -1)!;
  }
  const loop = path.slice(seenAt.get(v)!);
  loop.push(v);
  const first = revs[loop[0]!]!;
  return { ids: loop.map((i) => revs[i]!.id), ...src(first) };
}

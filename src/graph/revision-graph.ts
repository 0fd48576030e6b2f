import { labelsOf } from './branches';
import { headsFor, mergeParents, nextHeads } from './heads';
import { checkUpgradeTarget, planDowngrade, planUpgrade, type TargetInput } from './plan';
import type { Revision, Step } from './revision';
import { indexOfId, resolveTarget, type Target } from './target';
import { buildTopology, type Topology } from './topology';
import { isAncestorOrSelf, markAncestors, markDescendants, marked } from './traversal';
import { walkRange } from './walk';

/**
 * The revision DAG: validated once, then queried, resolved and planned without
 * IO. Down revisions and `dependsOn` both order revisions and both count for
 * ancestry; children, heads, bases and branch points follow down revisions
 * only, as in Alembic (a revision that others merely depend on is still a head
 * of its own branch).
 *
 * @example
 * ```ts
 * const graph = RevisionGraph.build([
 *   revision({ id: 'a1' }),
 *   revision({ id: 'b2', down: 'a1' }),
 * ]);
 * graph.heads;                                              // ['b2']
 * graph.planUpgrade([], 'head').map((s) => s.revision.id);   // ['a1', 'b2']
 * graph.planDowngrade(['b2'], '-1').map((s) => s.revision.id); // ['b2']
 * ```
 */
export class RevisionGraph {
  readonly #t: Topology;
  readonly #heads: readonly string[];
  readonly #bases: readonly string[];
  readonly #branchPoints: readonly string[];

  private constructor(t: Topology) {
    this.#t = t;
    Object.freeze(t.order);
    const ids = (list: readonly number[]): readonly string[] => Object.freeze(list.map((i) => t.order[i]!.id));
    this.#heads = ids(t.heads);
    this.#bases = ids(t.bases);
    this.#branchPoints = ids(t.branchPoints);
  }

  /**
   * Validates the revisions and builds the graph in O(revisions + edges), sorting
   * only children lists.
   *
   * @throws InvalidRevisionError, DuplicateRevisionError, DuplicateBranchLabelError,
   *   MissingDownRevisionError, MissingDependencyError, CycleError
   */
  static build(revisions: Iterable<Revision>): RevisionGraph {
    return new RevisionGraph(buildTopology(revisions));
  }

  /** Number of revisions. */
  get size(): number {
    return this.#t.order.length;
  }

  /** Every revision in topological order, base first; each branch is listed to its end before the next, ties by id. */
  get revisions(): readonly Revision[] {
    return this.#t.order;
  }

  /** Ids of revisions that no revision names as its down revision, in topological order. */
  get heads(): readonly string[] {
    return this.#heads;
  }

  /** Ids of revisions without down revisions, in topological order. */
  get bases(): readonly string[] {
    return this.#bases;
  }

  /** Ids of revisions that more than one revision names as down revision (where branches split). */
  get branchPoints(): readonly string[] {
    return this.#branchPoints;
  }

  /** Every declared branch label, sorted, with the id of the revision that declares it. */
  get branchLabels(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const label of [...this.#t.labels.keys()].sort()) out.set(label, this.#t.order[this.#t.labels.get(label)!]!.id);
    return out;
  }

  /** True when a revision has this exact id. */
  has(id: string): boolean {
    return this.#t.index.has(id);
  }

  /** The revision with this exact id, or `undefined`. */
  get(id: string): Revision | undefined {
    const i = this.#t.index.get(id);
    return i === undefined ? undefined : this.#t.order[i];
  }

  /** Ids of the revisions that name `id` as a down revision. @throws ResolutionError for an unknown id */
  childrenOf(id: string): string[] {
    return this.#ids(this.#t.downChildren[indexOfId(this.#t, id)]!);
  }

  /** Ids `id` depends on through `dependsOn` (branch labels resolved), not counting its down revisions. */
  dependenciesOf(id: string): string[] {
    return this.#ids(this.#t.deps[indexOfId(this.#t, id)]!);
  }

  /** Branch labels whose branch contains `id` (declared on it, below it on its chain, or above it). */
  branchLabelsOf(id: string): string[] {
    return labelsOf(this.#t, indexOfId(this.#t, id));
  }

  /**
   * Ids of every ancestor of `ids` through down revisions and dependsOn, in
   * topological order; `inclusive` adds `ids` themselves.
   *
   * @example
   * ```ts
   * graph.ancestors('c');                      // ['a', 'b'] on a chain a <- b <- c
   * graph.ancestors(['c'], { inclusive: true }); // ['a', 'b', 'c']
   * ```
   */
  ancestors(ids: string | readonly string[], options: { inclusive?: boolean } = {}): string[] {
    return this.#ids(marked(markAncestors(this.#t, this.#indices(ids), { inclusive: options.inclusive ?? false })));
  }

  /** Ids of every descendant of `ids` through down revisions and dependsOn, in topological order. */
  descendants(ids: string | readonly string[], options: { inclusive?: boolean } = {}): string[] {
    return this.#ids(marked(markDescendants(this.#t, this.#indices(ids), { inclusive: options.inclusive ?? false })));
  }

  /** True when `ancestor` is `descendant` or below it (through down revisions or dependsOn). */
  isAncestorOrSelf(ancestor: string, descendant: string): boolean {
    return isAncestorOrSelf(this.#t, indexOfId(this.#t, ancestor), indexOfId(this.#t, descendant));
  }

  /**
   * Resolves a target argument to revision ids (empty for `base`). `currentHeads`
   * is needed only for `+N`, `-N` and `<branch>@±N`.
   *
   * @example
   * ```ts
   * graph.resolve('heads');          // every head
   * graph.resolve('1a2');            // ['1a2b3c4d5e6f'] when the prefix is unique
   * graph.resolve('cart@head');      // the head of branch "cart"
   * graph.resolve('-1', ['c']);      // ['b']
   * ```
   * @throws ResolutionError, AmbiguousRevisionError, MultipleHeadsError, RelativeStepError
   */
  resolve(argument: string, currentHeads?: readonly string[]): string[] {
    return [...resolveTarget(this.#t, argument, currentHeads).ids];
  }

  /** Like {@link RevisionGraph.resolve}, but keeps the argument and the `<label>@base` scope. */
  resolveTarget(argument: string, currentHeads?: readonly string[]): Target {
    return resolveTarget(this.#t, argument, currentHeads);
  }

  /**
   * Refuses an upgrade target below the current heads (see {@link checkUpgradeTarget}).
   *
   * @example
   * ```ts
   * graph.checkUpgradeTarget(['b2'], 'a1'); // throws UpgradeTargetError: use "downgrade a1"
   * ```
   */
  checkUpgradeTarget(currentHeads: readonly string[], target: TargetInput): void {
    checkUpgradeTarget(this.#t, currentHeads, target);
  }

  /**
   * Steps that take a database at `currentHeads` up to `target` (see {@link planUpgrade}).
   *
   * @example
   * ```ts
   * graph.planUpgrade([], 'heads').map((s) => s.revision.id); // every revision, base first
   * ```
   */
  planUpgrade(currentHeads: readonly string[], target: TargetInput): Step[] {
    return planUpgrade(this.#t, currentHeads, target);
  }

  /**
   * Steps that take a database at `currentHeads` down to `target`, newest first
   * (see {@link planDowngrade}).
   *
   * @throws DowngradeTargetError when the target is not applied
   */
  planDowngrade(currentHeads: readonly string[], target: TargetInput): Step[] {
    return planDowngrade(this.#t, currentHeads, target);
  }

  /** The version-table heads after `step` (see {@link nextHeads}). */
  nextHeads(heads: readonly string[], step: Step): string[] {
    return nextHeads(this.#t, heads, step);
  }

  /** The minimal heads for `stamp`: drops ids that are ancestors of others (see {@link headsFor}). */
  headsFor(ids: readonly string[]): string[] {
    return headsFor(this.#t, ids);
  }

  /**
   * Revisions from `upper` (default: all heads) down to `lower` (default: base),
   * newest first, for `history -r lower:upper`.
   */
  walk(upper?: TargetInput, lower?: TargetInput, options: { currentHeads?: readonly string[] } = {}): Revision[] {
    return walkRange(this.#t, upper, lower, options.currentHeads);
  }

  /** Parents for `migrate merge`: all heads, or the heads among `targets`; at least two (see {@link mergeParents}). */
  mergeParents(targets?: readonly string[]): string[] {
    return mergeParents(this.#t, targets);
  }

  #ids(indices: readonly number[]): string[] {
    return indices.map((i) => this.#t.order[i]!.id);
  }

  #indices(ids: string | readonly string[]): number[] {
    const list: readonly string[] = typeof ids === 'string' ? [ids] : ids;
    return list.map((id) => indexOfId(this.#t, id));
  }
}

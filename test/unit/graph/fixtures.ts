import { RevisionGraph } from '../../../src/graph/revision-graph';
import { revision, type Revision, type Step } from '../../../src/graph/revision';

/** aa01 <- aa02 <- bb03 <- cc04: ids chosen so that "a" and "aa0" are ambiguous prefixes. */
export const linear = (): Revision[] => [
  revision({ id: 'aa01', message: 'create accounts', source: 'revisions/aa01_create_accounts.ts' }),
  revision({ id: 'aa02', down: 'aa01', message: 'add email' }),
  revision({ id: 'bb03', down: 'aa02', message: 'add index' }),
  revision({ id: 'cc04', down: 'bb03', message: 'add view' }),
];

/**
 * base0 <- trunk1 <- bp2, which splits into cart1 <- cart2 (label "cart")
 * and user1 <- user2 (label "user").
 */
export const branched = (): Revision[] => [
  revision({ id: 'base0' }),
  revision({ id: 'trunk1', down: 'base0' }),
  revision({ id: 'bp2', down: 'trunk1' }),
  revision({ id: 'cart1', down: 'bp2', branchLabels: ['cart'] }),
  revision({ id: 'cart2', down: 'cart1' }),
  revision({ id: 'user1', down: 'bp2', branchLabels: ['user'] }),
  revision({ id: 'user2', down: 'user1' }),
];

/** {@link branched} with m1 merging cart2 and user2, and after1 on top. */
export const merged = (): Revision[] => [
  ...branched(),
  revision({ id: 'm1', down: ['cart2', 'user2'], message: 'merge' }),
  revision({ id: 'after1', down: 'm1' }),
];

/**
 * Two independent lines: acc1 <- acc2 (label "accounts" on acc1) and
 * bill1 <- bill2, where bill2 depends on acc2 and bill3 on the label "accounts".
 */
export const withDependencies = (): Revision[] => [
  revision({ id: 'acc1', branchLabels: ['accounts'] }),
  revision({ id: 'acc2', down: 'acc1' }),
  revision({ id: 'bill1', branchLabels: ['billing'] }),
  revision({ id: 'bill2', down: 'bill1', dependsOn: ['acc2'] }),
  revision({ id: 'bill3', down: 'bill2', dependsOn: ['accounts'] }),
];

/**
 * A mix of everything: two bases, a branch point, a merge, and a
 * cross-branch dependency.
 */
export const tangled = (): Revision[] => [
  revision({ id: 'r0' }),
  revision({ id: 'r1', down: 'r0' }),
  revision({ id: 'x1', down: 'r1', branchLabels: ['x'] }),
  revision({ id: 'x2', down: 'x1' }),
  revision({ id: 'y1', down: 'r1', branchLabels: ['y'] }),
  revision({ id: 'y2', down: 'y1', dependsOn: ['x1'] }),
  revision({ id: 'mx', down: ['x2', 'y2'] }),
  revision({ id: 's0', branchLabels: ['side'] }),
  revision({ id: 's1', down: 's0', dependsOn: ['y1'] }),
  revision({ id: 'top', down: 'mx' }),
];

export const build = (revs: Revision[]): RevisionGraph => RevisionGraph.build(revs);

export const ids = (items: readonly { revision: Revision }[] | readonly Revision[]): string[] => items.map((x) => ('revision' in x ? x.revision.id : x.id));

/** Runs a plan through nextHeads, the way the runtime keeps the version table. */
export function applySteps(graph: RevisionGraph, heads: readonly string[], steps: readonly Step[]): string[] {
  return steps.reduce<string[]>((h, step) => graph.nextHeads(h, step), [...heads]);
}

/** Catches what `fn` throws, so tests can assert on the error's class and data. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error, but nothing was thrown');
}

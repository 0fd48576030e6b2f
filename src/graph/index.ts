// The revision graph: pure, no IO. Re-exports only.
export { revision } from './revision';
export type { Direction, Revision, Step } from './revision';
export { RevisionGraph } from './revision-graph';
export type { Target } from './target';
export type { TargetInput } from './plan';
export {
  AmbiguousRevisionError,
  CycleError,
  DowngradeTargetError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidRevisionError,
  MissingDependencyError,
  MissingDownRevisionError,
  MultipleHeadsError,
  NothingToMergeError,
  RelativeStepError,
  ResolutionError,
  RevisionRangeError,
  UpgradeTargetError,
} from './graph-errors';

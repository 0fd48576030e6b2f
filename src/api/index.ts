// The library behind the CLI, as functions that take plain options and return data; none prints.
export { DEFAULT_LOCK_TIMEOUT_MS, type ProjectOptions, type RetortEvent, type TargetOptions } from './options';
export {
  current,
  downgrade,
  history,
  stamp,
  status,
  upgrade,
  type CurrentResult,
  type DowngradeOptions,
  type StatusOptions,
  type UpgradeOptions,
} from './revisions';
export {
  autogenerate,
  check,
  diff,
  pull,
  type AutogenerateOptions,
  type CheckResult,
  type CompareModelOptions,
  type DiffEndpoint,
  type DiffOptions,
} from './schema';

/**
 * A revision as the graph sees it: plain, readonly data. The graph never loads
 * files; `scripts/` turns revision modules into these values.
 */
export interface Revision {
  /** The revision id, e.g. `522eed334c85`. */
  readonly id: string;
  /** Parent revision ids: empty for a base revision, two or more for a merge. */
  readonly downRevisions: readonly string[];
  /** One-line description, shown in logs and `history`. */
  readonly message: string;
  /** Names that `<label>@head` and `branches` refer to. */
  readonly branchLabels: readonly string[];
  /** Revisions (possibly on other branches) that must be applied before this one. */
  readonly dependsOn: readonly string[];
  /** Where the revision came from, for error messages (a file path). */
  readonly source?: string;
}

/** Which way a step runs: `up` applies a revision (its `upgrade`), `down` reverts it (its `downgrade`). */
export type Direction = 'up' | 'down';

/** One runnable step of a plan. */
export interface Step {
  readonly revision: Revision;
  readonly direction: Direction;
}

/** Builds a {@link Revision} from loose fields, for tests and loaders. */
export function revision(fields: {
  id: string;
  down?: string | readonly string[] | null;
  message?: string;
  branchLabels?: readonly string[];
  dependsOn?: readonly string[];
  source?: string;
}): Revision {
  const down = fields.down == null ? [] : typeof fields.down === 'string' ? [fields.down] : [...fields.down];
  return {
    id: fields.id,
    downRevisions: down,
    message: fields.message ?? '',
    branchLabels: [...(fields.branchLabels ?? [])],
    dependsOn: [...(fields.dependsOn ?? [])],
    ...(fields.source === undefined ? {} : { source: fields.source }),
  };
}

import { GraphError } from '../errors';

/** Caps long id lists so a message stays one readable line. */
function list(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function from(source: string | undefined): string {
  return source === undefined ? '' : ` (${source})`;
}

/** User-typed text is quoted with JSON rules so that odd characters cannot break the line. */
function quote(argument: string): string {
  return JSON.stringify(argument);
}

/** Two revisions share one id. */
export class DuplicateRevisionError extends GraphError {
  readonly id: string;
  /** Where each copy came from; `undefined` when a revision has no source. */
  readonly sources: readonly (string | undefined)[];
  constructor(data: { id: string; sources: readonly (string | undefined)[] }) {
    const where = data.sources.map((s) => s ?? 'unknown source');
    super('DUPLICATE_REVISION', `Revision ${data.id} is defined ${data.sources.length} times (${list(where)}): give all but one of them a new revision id.`);
    this.id = data.id;
    this.sources = [...data.sources];
  }
}

/** A revision id or branch label that the graph cannot accept (reserved word, `@`, `+`, `-`, whitespace...). */
export class InvalidRevisionError extends GraphError {
  readonly id: string;
  readonly source: string | undefined;
  /** Why it was rejected, e.g. `its id contains "@"`. */
  readonly reason: string;
  constructor(data: { id: string; source?: string; reason: string }) {
    super('INVALID_REVISION', `Revision ${quote(data.id)}${from(data.source)} is invalid: ${data.reason}; rename it.`);
    this.id = data.id;
    this.source = data.source;
    this.reason = data.reason;
  }
}

/** A revision names a down revision that no revision defines. */
export class MissingDownRevisionError extends GraphError {
  readonly id: string;
  readonly missing: string;
  readonly source: string | undefined;
  constructor(data: { id: string; missing: string; source?: string }) {
    super(
      'MISSING_DOWN_REVISION',
      `Revision ${data.id}${from(data.source)} names down revision ${data.missing}, which does not exist: fix its down revision or restore the missing revision file.`,
    );
    this.id = data.id;
    this.missing = data.missing;
    this.source = data.source;
  }
}

/** A revision's `dependsOn` names neither a revision id nor a branch label. */
export class MissingDependencyError extends GraphError {
  readonly id: string;
  readonly missing: string;
  readonly source: string | undefined;
  constructor(data: { id: string; missing: string; source?: string }) {
    super(
      'MISSING_DEPENDENCY',
      `Revision ${data.id}${from(data.source)} depends on ${data.missing}, which is neither a revision id nor a branch label: fix its dependsOn or restore the missing revision file.`,
    );
    this.id = data.id;
    this.missing = data.missing;
    this.source = data.source;
  }
}

/** Down revisions and dependencies loop back on themselves. */
export class CycleError extends GraphError {
  /** The loop, each id naming the next as a down revision or dependency; the first id is repeated at the end. */
  readonly ids: readonly string[];
  constructor(data: { ids: readonly string[]; source?: string }) {
    const loop = data.ids.length <= 12 ? data.ids.join(' -> ') : `${data.ids.slice(0, 12).join(' -> ')} -> ...`;
    super('REVISION_CYCLE', `Revisions ${loop} form a cycle${from(data.source)}: fix the down revision or dependsOn of one of them.`);
    this.ids = [...data.ids];
  }
}

/** A branch label is declared twice, or equals a revision id. */
export class DuplicateBranchLabelError extends GraphError {
  readonly label: string;
  /** The revisions that declare it (or, for a clash with an id, the declaring revision and that id). */
  readonly ids: readonly string[];
  constructor(data: { label: string; ids: readonly string[]; sources?: readonly (string | undefined)[]; clashesWithId?: boolean }) {
    const named = data.ids.map((id, i) => `${id}${from(data.sources?.[i])}`);
    const message = data.clashesWithId
      ? `Branch label ${quote(data.label)} on ${named[0] ?? '?'} is also a revision id: rename the label.`
      : `Branch label ${quote(data.label)} is declared by ${list(named)}: rename all but one of them.`;
    super('DUPLICATE_BRANCH_LABEL', message);
    this.label = data.label;
    this.ids = [...data.ids];
  }
}

/** `head` (or `<branch>@head`) was asked for, but there are several. */
export class MultipleHeadsError extends GraphError {
  readonly heads: readonly string[];
  /** The argument that was being resolved, when there was one. */
  readonly argument: string | undefined;
  constructor(data: { heads: readonly string[]; argument?: string; scope?: string }) {
    const subject = data.scope === undefined ? 'Multiple heads' : `${data.scope} has multiple heads`;
    super('MULTIPLE_HEADS', `${subject} (${list(data.heads)}): name one, use "heads", or merge them with "migrate merge".`);
    this.heads = [...data.heads];
    this.argument = data.argument;
  }
}

/** No revision, branch label or id prefix matches the argument. */
export class ResolutionError extends GraphError {
  readonly argument: string;
  /** Near misses among "head", "heads", "base", branch labels and revision ids ("did you mean"). */
  readonly suggestions: readonly string[];
  constructor(data: { argument: string; detail?: string; suggestions?: readonly string[] }) {
    const detail = data.detail ?? `no revision id, id prefix or branch label matches ${quote(data.argument)}`;
    const suggestions = data.suggestions ?? [];
    const next =
      suggestions.length > 0
        ? `did you mean ${suggestions
            .map(quote)
            .join(', ')
            .replace(/, ([^,]*)$/, ' or $1')}? ("migrate history" lists revisions)`
        : 'use a revision id or unique prefix, a branch label, "head", "heads" or "base" ("migrate history" lists revisions)';
    super('UNKNOWN_REVISION', `Cannot resolve ${quote(data.argument)}: ${detail}; ${next}.`);
    this.argument = data.argument;
    this.suggestions = [...suggestions];
  }
}

/** An id prefix matches more than one revision. */
export class AmbiguousRevisionError extends GraphError {
  readonly argument: string;
  readonly candidates: readonly string[];
  constructor(data: { argument: string; candidates: readonly string[] }) {
    super(
      'AMBIGUOUS_REVISION',
      `${quote(data.argument)} matches ${data.candidates.length} revisions (${list(data.candidates)}): type more characters of the id.`,
    );
    this.argument = data.argument;
    this.candidates = [...data.candidates];
  }
}

/** A downgrade target is not at or below the current heads. */
export class DowngradeTargetError extends GraphError {
  /** The target revisions that are not applied. */
  readonly target: readonly string[];
  readonly currentHeads: readonly string[];
  constructor(data: { target: readonly string[]; currentHeads: readonly string[] }) {
    const current = data.currentHeads.length === 0 ? 'nothing is applied' : `current heads: ${list(data.currentHeads)}`;
    super(
      'DOWNGRADE_TARGET',
      `Cannot downgrade to ${list(data.target)}: it is not applied (${current}); name a revision at or below the current heads, or use "upgrade".`,
    );
    this.target = [...data.target];
    this.currentHeads = [...data.currentHeads];
  }
}

/** An upgrade target lies below the current heads (Alembic refuses it too). */
export class UpgradeTargetError extends GraphError {
  /** The target revisions that are already applied and below a current head. */
  readonly target: readonly string[];
  readonly currentHeads: readonly string[];
  constructor(data: { target: readonly string[]; currentHeads: readonly string[] }) {
    super(
      'UPGRADE_TARGET',
      `Cannot upgrade to ${list(data.target)}: it is below the current heads (${list(data.currentHeads)}), so an upgrade cannot reach it; use "downgrade ${data.target[0]}" to go back to it.`,
    );
    this.target = [...data.target];
    this.currentHeads = [...data.currentHeads];
  }
}

/** A relative target (`+N`, `-N`, `<rev>+N`, `<branch>@+N`) cannot be walked. */
export class RelativeStepError extends GraphError {
  readonly argument: string;
  /** Why, e.g. `only 2 revisions above 1a2b3c4d`. */
  readonly reason: string;
  /** Revisions the user could pick from, when the walk was ambiguous. */
  readonly choices: readonly string[];
  constructor(data: { argument: string; reason: string; hint: string; choices?: readonly string[] }) {
    super('RELATIVE_STEP', `Cannot resolve ${quote(data.argument)}: ${data.reason}; ${data.hint}.`);
    this.argument = data.argument;
    this.reason = data.reason;
    this.choices = [...(data.choices ?? [])];
  }
}

/** `migrate merge` was asked to merge fewer than two heads. */
export class NothingToMergeError extends GraphError {
  readonly heads: readonly string[];
  constructor(data: { heads: readonly string[] }) {
    const what = data.heads.length === 0 ? 'there are no revisions' : `there is only one head (${list(data.heads)})`;
    super('NOTHING_TO_MERGE', `Nothing to merge: ${what}; "migrate merge" needs two or more heads.`);
    this.heads = [...data.heads];
  }
}

/** `history -r lower:upper` where lower is not below upper. */
export class RevisionRangeError extends GraphError {
  readonly lower: readonly string[];
  readonly upper: readonly string[];
  constructor(data: { lower: readonly string[]; upper: readonly string[] }) {
    super(
      'INVALID_RANGE',
      `Revision ${list(data.lower)} is not at or below ${data.upper.length === 0 ? 'base' : list(data.upper)}: swap the ends of the range or pick revisions on the same branch.`,
    );
    this.lower = [...data.lower];
    this.upper = [...data.upper];
  }
}

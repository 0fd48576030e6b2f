import { branchMembers } from './branches';
import { DowngradeTargetError, UpgradeTargetError } from './graph-errors';
import type { Step } from './revision';
import { indexOfId, resolveTarget, type Target } from './target';
import type { Topology } from './topology';
import { markAncestors, markDescendants } from './traversal';

/**
 * What a plan is aimed at: an argument to resolve (`"head"`, `"-1"`,
 * `"cart@head"`...), a list of exact revision ids (empty means base), or a
 * {@link Target} resolved earlier.
 */
export type TargetInput = string | readonly string[] | Target;

/** Turns any {@link TargetInput} into a {@link Target}, resolving relative steps from `currentHeads`. */
export function toTarget(t: Topology, target: TargetInput, currentHeads?: readonly string[]): Target {
  if (typeof target === 'string') return resolveTarget(t, target, currentHeads);
  if (isIdList(target)) {
    const ids = [...new Set(target)].map((id) => indexOfId(t, id)).sort((a, b) => a - b);
    return { argument: target.join(' '), ids: ids.map((i) => t.order[i]!.id) };
  }
  for (const id of target.ids) indexOfId(t, id);
  return target;
}

function isIdList(target: readonly string[] | Target): target is readonly string[] {
  return Array.isArray(target);
}

function currentIndices(t: Topology, currentHeads: readonly string[]): number[] {
  return currentHeads.map((id) => indexOfId(t, id, `the current head ${JSON.stringify(id)} is not a known revision (restore its file, or stamp the database)`));
}

/**
 * Refuses what the `upgrade` command must not take for a no-op: a target that is applied but
 * below a current head (Alembic says it "is not a valid upgrade target": going there is a
 * downgrade). A target that is a current head is fine (nothing to do).
 *
 * @throws UpgradeTargetError naming the targets below the heads.
 */
export function checkUpgradeTarget(t: Topology, currentHeads: readonly string[], target: TargetInput): void {
  const resolved = toTarget(t, target, currentHeads);
  const heads = currentIndices(t, currentHeads);
  const applied = markAncestors(t, heads, { inclusive: true });
  const below = resolved.ids.filter((id) => {
    const i = t.index.get(id)!;
    return applied[i] !== 0 && !heads.includes(i);
  });
  if (below.length > 0) throw new UpgradeTargetError({ target: below, currentHeads: [...currentHeads] });
}

/**
 * The upgrade steps from `currentHeads` to `target`: every ancestor-or-self of
 * the target (following down revisions and dependsOn) that is not yet applied,
 * in topological order. Already applied targets give an empty plan (the `upgrade`
 * command refuses targets below the heads first, with {@link checkUpgradeTarget}).
 */
export function planUpgrade(t: Topology, currentHeads: readonly string[], target: TargetInput): Step[] {
  const resolved = toTarget(t, target, currentHeads);
  const applied = markAncestors(t, currentIndices(t, currentHeads), { inclusive: true });
  const wanted = markAncestors(
    t,
    resolved.ids.map((id) => t.index.get(id)!),
    { inclusive: true },
  );
  const steps: Step[] = [];
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] !== 0 && applied[i] === 0) steps.push({ revision: t.order[i]!, direction: 'up' });
  }
  return steps;
}

/**
 * The downgrade steps from `currentHeads` to `target`, newest first: applied
 * revisions above the target that the target does not itself need. Branches
 * that do not descend from the target stay. `base` removes everything applied;
 * `<label>@base` removes that branch and whatever depends on it.
 *
 * @throws DowngradeTargetError when a target revision is not applied.
 */
export function planDowngrade(t: Topology, currentHeads: readonly string[], target: TargetInput): Step[] {
  const resolved = toTarget(t, target, currentHeads);
  const applied = markAncestors(t, currentIndices(t, currentHeads), { inclusive: true });
  const targets = resolved.ids.map((id) => t.index.get(id)!);
  let remove: Uint8Array;
  if (resolved.branchBase !== undefined) {
    const members = branchMembers(t, resolved.branchBase)!;
    const starts: number[] = [];
    for (let i = 0; i < members.length; i++) if (members[i] !== 0) starts.push(i);
    remove = markDescendants(t, starts, { inclusive: true });
  } else if (targets.length === 0) {
    remove = applied;
  } else {
    const missing = targets.filter((i) => applied[i] === 0);
    if (missing.length > 0) {
      throw new DowngradeTargetError({ target: missing.map((i) => t.order[i]!.id), currentHeads: [...currentHeads] });
    }
    remove = markDescendants(t, targets, { inclusive: false });
    // With several targets, one may sit above another: what a target needs stays.
    const keep = markAncestors(t, targets, { inclusive: true });
    for (let i = 0; i < remove.length; i++) if (keep[i] !== 0) remove[i] = 0;
  }
  const steps: Step[] = [];
  for (let i = remove.length - 1; i >= 0; i--) {
    if (remove[i] !== 0 && applied[i] !== 0) steps.push({ revision: t.order[i]!, direction: 'down' });
  }
  return steps;
}

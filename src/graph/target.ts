import { branchMembers, lineage, roots } from './branches';
import { AmbiguousRevisionError, MultipleHeadsError, RelativeStepError, ResolutionError } from './graph-errors';
import { closestMatches } from './suggest';
import type { Topology } from './topology';
import { markAncestors, maximal } from './traversal';

/** A resolved target argument. */
export interface Target {
  /** The argument as given (trimmed), for messages. */
  readonly argument: string;
  /** The revisions it names, in topological order; empty for `base`. */
  readonly ids: readonly string[];
  /** Set by `<label>@base`: a downgrade removes only that branch, not everything. */
  readonly branchBase?: string;
}

/** Where walks and lookups are confined: a branch label's members, or the line through a revision. */
interface Scope {
  /** For messages: `branch "cart"` or `revision 1a2b3c`. */
  readonly name: string;
  readonly label: string | undefined;
  readonly members: Uint8Array;
}

const RELATIVE = /^(.*?)([+-])(\d+)$/;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function idsOf(t: Topology, indices: readonly number[]): string[] {
  return indices.map((i) => t.order[i]!.id);
}

/** Finds the revision index for a known id; unknown ids are reported as unresolvable. */
export function indexOfId(t: Topology, id: string, detail?: string): number {
  const i = t.index.get(id);
  if (i === undefined) throw new ResolutionError({ argument: id, detail: detail ?? `no revision has the id ${JSON.stringify(id)}` });
  return i;
}

/**
 * Resolves a target argument. Forms: `head`, `heads`, `base`, a revision id, a
 * unique id prefix, a branch label (the revision that declares it),
 * `<branch|rev>@head`, `<branch|rev>@heads`, `<branch>@base`, `<branch>@<rev>`,
 * `+N` / `-N` (from `currentHeads`), `<rev>+N`, `<rev>-N`, `head-N`, `base+N`,
 * `<branch>@+N`, `<branch>@-N`, `<branch>@<rev>+N`.
 */
export function resolveTarget(t: Topology, argument: string, currentHeads?: readonly string[]): Target {
  const arg = argument.trim();
  if (arg === '') throw new ResolutionError({ argument, detail: 'the target is empty' });
  const at = arg.indexOf('@');
  if (at >= 0) return resolveScoped(t, arg, arg.slice(0, at), arg.slice(at + 1), currentHeads);
  if (arg === 'heads') return { argument: arg, ids: idsOf(t, t.heads) };
  if (arg === 'head') return single(t, arg, singleHead(t, arg, t.heads));
  if (arg === 'base') return { argument: arg, ids: [] };
  const exact = t.index.get(arg) ?? t.labels.get(arg);
  if (exact !== undefined) return single(t, arg, exact);
  const rel = RELATIVE.exec(arg);
  if (rel) return relative(t, arg, rel, undefined, currentHeads);
  return single(t, arg, lookup(t, arg, arg, undefined));
}

function single(t: Topology, argument: string, index: number | null): Target {
  return { argument, ids: index === null ? [] : [t.order[index]!.id] };
}

/** The one head among `heads`; null for an empty graph. */
function singleHead(t: Topology, argument: string, heads: readonly number[], scope?: Scope): number | null {
  if (heads.length > 1) {
    const data = { heads: idsOf(t, heads), argument };
    throw new MultipleHeadsError(scope === undefined ? data : { ...data, scope: upperFirst(scope.name) });
  }
  return heads[0] ?? null;
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Exact id, then exact branch label, then unique id prefix; confined to `scope` when given. */
function lookup(t: Topology, text: string, argument: string, scope: Scope | undefined): number {
  const exact = t.index.get(text) ?? t.labels.get(text);
  if (exact !== undefined) {
    if (scope !== undefined && scope.members[exact] === 0) {
      throw new ResolutionError({ argument, detail: `${t.order[exact]!.id} is not on ${scope.name}` });
    }
    return exact;
  }
  const found: number[] = [];
  if (text !== '') {
    for (let k = 0; k < t.order.length; k++) {
      if (t.order[k]!.id.startsWith(text) && (scope === undefined || scope.members[k] !== 0)) found.push(k);
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new AmbiguousRevisionError({ argument: text, candidates: idsOf(t, found) });
  const where = scope === undefined ? '' : ` on ${scope.name}`;
  const inScope = (k: number) => scope === undefined || scope.members[k] !== 0;
  const ids = t.order.filter((_, k) => inScope(k)).map((r) => r.id);
  const labels = [...t.labels].filter(([, k]) => inScope(k)).map(([label]) => label);
  // `text` is the whole argument, the part after `<branch>@`, or the branch before `@`: suggest whole arguments.
  const isName = argument.startsWith(`${text}@`);
  const keywords = isName ? [] : ['head', 'heads', 'base'];
  const suggestions = closestMatches(text, [...keywords, ...labels], ids).map((c) =>
    isName ? c + argument.slice(text.length) : argument.slice(0, argument.length - text.length) + c,
  );
  throw new ResolutionError({ argument, detail: `no revision id, id prefix or branch label${where} matches ${JSON.stringify(text)}`, suggestions });
}

function scopeFor(t: Topology, name: string, argument: string): Scope {
  const members = branchMembers(t, name);
  if (members !== undefined) return { name: `branch "${name}"`, label: name, members };
  const index = lookup(t, name, argument, undefined);
  return { name: `revision ${t.order[index]!.id}`, label: undefined, members: lineage(t, index) };
}

function resolveScoped(t: Topology, arg: string, name: string, rest: string, currentHeads: readonly string[] | undefined): Target {
  if (name === '' || rest === '') {
    throw new ResolutionError({
      argument: arg,
      detail: 'expected <branch>@head, <branch>@heads, <branch>@base, <branch>@+N or <branch>@<revision>',
    });
  }
  const scope = scopeFor(t, name, arg);
  const heads = t.heads.filter((h) => scope.members[h] !== 0);
  if (rest === 'heads') return { argument: arg, ids: idsOf(t, heads) };
  if (rest === 'head') return single(t, arg, singleHead(t, arg, heads, scope));
  if (rest === 'base') {
    if (scope.label === undefined) {
      throw new ResolutionError({ argument: arg, detail: `"@base" needs a branch label, and ${name} is a revision` });
    }
    return { argument: arg, ids: [], branchBase: scope.label };
  }
  const rel = RELATIVE.exec(rest);
  if (rel) return relative(t, arg, rel, scope, currentHeads);
  return single(t, arg, lookup(t, rest, arg, scope));
}

function relative(t: Topology, arg: string, match: RegExpExecArray, scope: Scope | undefined, currentHeads: readonly string[] | undefined): Target {
  const symbol = match[1]!;
  const up = match[2] === '+';
  const steps = Number(match[3]);
  let start: number | null;
  let from: string;
  if (symbol === '') {
    start = currentPosition(t, arg, up, scope, currentHeads);
    from = start === null ? 'base' : `the current head ${t.order[start]!.id}`;
  } else if (symbol === 'head') {
    start = singleHead(t, arg, scope === undefined ? t.heads : t.heads.filter((h) => scope.members[h] !== 0), scope);
    from = start === null ? 'base' : `head ${t.order[start]!.id}`;
  } else if (symbol === 'base') {
    start = null;
    from = 'base';
  } else if (symbol === 'heads') {
    throw new ResolutionError({ argument: arg, detail: '"heads" names several revisions, so it cannot take a step' });
  } else {
    start = lookup(t, symbol, arg, scope);
    from = t.order[start]!.id;
  }
  const end = up ? walkUp(t, arg, start, steps, scope, from) : walkDown(t, arg, start, steps, scope, from);
  return single(t, arg, end);
}

/** The single revision that `+N`/`-N` count from: the current head, or the highest applied revision of the scope. */
function currentPosition(t: Topology, arg: string, up: boolean, scope: Scope | undefined, currentHeads: readonly string[] | undefined): number | null {
  const sign = up ? '+' : '-';
  if (currentHeads === undefined) {
    throw new RelativeStepError({
      argument: arg,
      reason: 'a step from the current revision needs the current heads',
      hint: `run it against a database, or count from a revision with "<rev>${sign}N"`,
    });
  }
  const current = currentHeads.map((id) =>
    indexOfId(t, id, `the current head ${JSON.stringify(id)} is not a known revision (restore its file, or stamp the database)`),
  );
  let position: number[];
  if (scope === undefined) {
    position = maximal(t, current);
    if (position.length > 1) {
      throw new RelativeStepError({
        argument: arg,
        reason: `there are several current heads (${idsOf(t, position).join(', ')})`,
        hint: `say which branch with "<branch>@${sign}N" or "<rev>${sign}N"`,
        choices: idsOf(t, position),
      });
    }
  } else {
    const applied = markAncestors(t, current, { inclusive: true });
    const inScope: number[] = [];
    for (let i = 0; i < applied.length; i++) if (applied[i] !== 0 && scope.members[i] !== 0) inScope.push(i);
    position = maximal(t, inScope);
    if (position.length > 1) {
      throw new RelativeStepError({
        argument: arg,
        reason: `${scope.name} has several applied heads (${idsOf(t, position).join(', ')})`,
        hint: `count from one of them with "<rev>${sign}N"`,
        choices: idsOf(t, position),
      });
    }
  }
  if (position.length === 0 && !up) {
    throw new RelativeStepError({
      argument: arg,
      reason: scope === undefined ? 'nothing is applied' : `nothing on ${scope.name} is applied`,
      hint: 'there is nothing to step down from; use "upgrade" first',
    });
  }
  return position[0] ?? null;
}

function walkUp(t: Topology, arg: string, start: number | null, steps: number, scope: Scope | undefined, from: string): number | null {
  let cur = start;
  for (let step = 0; step < steps; step++) {
    let next: readonly number[];
    if (cur === null) next = scope === undefined ? t.bases : roots(t, scope.members);
    else next = scope === undefined ? t.downChildren[cur]! : t.downChildren[cur]!.filter((c) => scope.members[c] !== 0);
    if (next.length === 0) {
      throw new RelativeStepError({
        argument: arg,
        reason: step === 0 ? `nothing is above ${from}` : `there ${step === 1 ? 'is' : 'are'} only ${plural(step, 'revision')} above ${from}`,
        hint: 'use a smaller step, or "head"',
      });
    }
    if (next.length > 1) {
      const choices = idsOf(t, next);
      const where =
        cur !== null
          ? `${t.order[cur]!.id} is a branch point with children ${choices.join(', ')}`
          : scope === undefined
            ? `there are several bases (${choices.join(', ')})`
            : `${scope.name} starts at several revisions (${choices.join(', ')})`;
      throw new RelativeStepError({
        argument: arg,
        reason: where,
        hint: 'walk one branch with "<branch>@+N" or "<rev>+N" from one of them',
        choices,
      });
    }
    cur = next[0]!;
  }
  return cur;
}

function walkDown(t: Topology, arg: string, start: number | null, steps: number, scope: Scope | undefined, from: string): number | null {
  let cur = start;
  for (let step = 0; step < steps; step++) {
    if (cur === null) {
      throw new RelativeStepError({
        argument: arg,
        reason: step === 0 ? `nothing is below ${from}` : `${from} is only ${plural(step, 'step')} above base`,
        hint: 'use a smaller step, or "base"',
      });
    }
    let down = t.down[cur]!;
    if (down.length > 1 && scope !== undefined) {
      const inScope = down.filter((p) => scope.members[p] !== 0);
      if (inScope.length === 1) down = inScope;
    }
    if (down.length > 1) {
      const choices = idsOf(t, down);
      throw new RelativeStepError({
        argument: arg,
        reason: `${t.order[cur]!.id} is a merge point with down revisions ${choices.join(', ')}`,
        hint: 'count down from one of them with "<rev>-N"',
        choices,
      });
    }
    cur = down[0] ?? null;
  }
  return cur;
}

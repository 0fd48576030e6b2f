/** Views, materialized views, routines, triggers and policies. */
import { objectKey, routineKey } from '../schema/object-key';
import type { Policy, Routine, Trigger, View } from '../schema/snapshot';
import { replaceableInPlace } from '../schema/view-compatibility';
import { dependantCreations } from './dependant-creations';
import type { DiffContext } from './diff-context';
import { diffComment, diffGrants } from './diff-privileges';
import { emitIndexes } from './diff-table-parts';
import { names, Phase } from './planned';

function sameView(a: View, b: View): boolean {
  return (
    a.materialized === b.materialized &&
    a.definition === b.definition &&
    a.options.join() === b.options.join() &&
    JSON.stringify(a.columns.map((c) => [c.name, c.type, c.collation])) === JSON.stringify(b.columns.map((c) => [c.name, c.type, c.collation]))
  );
}

/** Changes CREATE OR REPLACE FUNCTION cannot make: kind, result, arguments (names, defaults). */
function replaceableRoutine(a: Routine, b: Routine): boolean {
  return a.kind === b.kind && a.result === b.result && a.identityArguments === b.identityArguments && a.arguments === b.arguments;
}

function sameTrigger(a: Trigger, b: Trigger): boolean {
  return a.constraint === b.constraint && a.events === b.events && a.body === b.body;
}

/** ALTER POLICY can change roles and expressions, but cannot remove an expression. */
function alterablePolicy(a: Policy, b: Policy): boolean {
  return a.permissive === b.permissive && a.command === b.command && (a.using === null || b.using !== null) && (a.withCheck === null || b.withCheck !== null);
}

export function analyzeObjects(ctx: DiffContext): void {
  const toViews = new Map(ctx.to.views.map((v) => [v.name, v]));
  for (const f of ctx.from.views) {
    const t = toViews.get(f.name);
    const key = objectKey.view(f.name);
    if (!t) ctx.breaks(key);
    else {
      ctx.kept.add(key);
      if (!sameView(f, t) && !replaceableInPlace(f, t)) ctx.rebuildObject(key);
    }
  }
  const toRoutines = new Map(ctx.to.routines.map((r) => [routineKey(r), r]));
  for (const f of ctx.from.routines) {
    const key = routineKey(f);
    const t = toRoutines.get(key);
    if (!t) ctx.breaks(key);
    else {
      ctx.kept.add(key);
      if (!replaceableRoutine(f, t)) ctx.rebuildObject(key);
    }
  }
  const toTriggers = new Set(ctx.to.triggers.map((t) => objectKey.trigger(t.table, t.name)));
  for (const f of ctx.from.triggers) {
    const key = objectKey.trigger(f.table, f.name);
    if (toTriggers.has(key)) ctx.kept.add(key);
  }
  const toPolicies = new Set(ctx.to.policies.map((p) => objectKey.policy(p.table, p.name)));
  for (const f of ctx.from.policies) {
    const key = objectKey.policy(f.table, f.name);
    if (toPolicies.has(key)) ctx.kept.add(key);
  }
}

function viewTarget(view: View) {
  return { kind: view.materialized ? ('materialized view' as const) : ('view' as const), name: view.name };
}

function createView(ctx: DiffContext, view: View): void {
  const claims = [names.relation(view.name), names.type(view.name), ...view.indexes.map((i) => names.relation(i.name))];
  ctx.add(
    {
      kind: 'createView',
      view,
      ...(view.materialized ? { note: `materialized view "${view.name}" is created empty and refreshed: the REFRESH runs its whole query` } : {}),
    },
    { phase: Phase.views, adds: [objectKey.view(view.name)], claims },
  );
}

function dropView(ctx: DiffContext, view: View): void {
  const frees = [names.relation(view.name), names.type(view.name), ...view.indexes.map((i) => names.relation(i.name))];
  ctx.add({ kind: 'dropView', view }, { phase: Phase.drops, removes: [objectKey.view(view.name)], frees });
}

function emitViews(ctx: DiffContext): void {
  const fromViews = new Map(ctx.from.views.map((v) => [v.name, v]));
  const toViews = new Map(ctx.to.views.map((v) => [v.name, v]));
  for (const t of ctx.to.views) {
    const f = fromViews.get(t.name);
    const key = objectKey.view(t.name);
    if (!f || ctx.rebuild.has(key)) {
      createView(ctx, t);
      continue;
    }
    if (!sameView(f, t)) {
      // going back needs a drop and create when the new view added columns: carry its dependants
      const dependants = replaceableInPlace(t, f) ? [] : dependantCreations(ctx.from, ctx.fromGraph, [key], (k) => ctx.broken.get(k) === 'full');
      ctx.add({ kind: 'replaceView', from: f, to: t, dependants }, { phase: Phase.views, adds: [key], removes: [key] });
    }
    if (t.materialized) emitIndexes(ctx, t.name, f.indexes, t.indexes);
    diffComment(ctx, viewTarget(t), f.comment, t.comment, key);
    for (const c of t.columns) {
      const fc = f.columns.find((x) => x.name === c.name);
      diffComment(ctx, { kind: 'column', table: t.name, name: c.name }, fc?.comment ?? null, c.comment, key);
    }
    diffGrants(ctx, viewTarget(t), f.grants, t.grants, key);
  }
  for (const f of ctx.from.views) {
    if (toViews.has(f.name) && !ctx.rebuild.has(objectKey.view(f.name))) continue;
    dropView(ctx, f);
  }
}

function routineTarget(r: Routine) {
  return { kind: r.kind, name: r.name, arguments: r.identityArguments } as const;
}

function emitRoutines(ctx: DiffContext): void {
  const fromRoutines = new Map(ctx.from.routines.map((r) => [routineKey(r), r]));
  const toRoutines = new Map(ctx.to.routines.map((r) => [routineKey(r), r]));
  for (const t of ctx.to.routines) {
    const key = routineKey(t);
    const f = fromRoutines.get(key);
    if (!f || ctx.rebuild.has(key)) {
      ctx.add({ kind: 'createRoutine', routine: t }, { phase: Phase.routines, adds: [key], claims: [names.routine(t.name, t.argumentTypes)] });
      continue;
    }
    if (f.definition !== t.definition) ctx.add({ kind: 'replaceRoutine', from: f, to: t }, { phase: Phase.routines, adds: [key] });
    diffComment(ctx, routineTarget(t), f.comment, t.comment, key);
    diffGrants(ctx, routineTarget(t), f.grants, t.grants, key);
  }
  for (const f of ctx.from.routines) {
    const key = routineKey(f);
    if (toRoutines.has(key) && !ctx.rebuild.has(key)) continue;
    ctx.add({ kind: 'dropRoutine', routine: f }, { phase: Phase.drops, removes: [key], frees: [names.routine(f.name, f.argumentTypes)] });
  }
}

function emitTriggers(ctx: DiffContext): void {
  const key = (t: Trigger) => objectKey.trigger(t.table, t.name);
  const fromTriggers = new Map(ctx.from.triggers.map((t) => [key(t), t]));
  const toTriggers = new Map(ctx.to.triggers.map((t) => [key(t), t]));
  const create = (t: Trigger) =>
    ctx.add({ kind: 'createTrigger', trigger: t }, { phase: Phase.triggers, adds: [key(t)], claims: [names.trigger(t.table, t.name)] });
  const drop = (t: Trigger) => ctx.add({ kind: 'dropTrigger', trigger: t }, { phase: Phase.drops, removes: [key(t)], frees: [names.trigger(t.table, t.name)] });
  for (const t of ctx.to.triggers) {
    const f = fromTriggers.get(key(t));
    if (!f) create(t);
    else if (!sameTrigger(f, t) || ctx.rebuild.has(key(t))) {
      drop(f);
      create(t);
    } else {
      if (f.enabled !== t.enabled) {
        ctx.add({ kind: 'setTriggerEnabled', table: t.table, name: t.name, from: f.enabled, to: t.enabled }, { phase: Phase.triggers, adds: [key(t)] });
      }
      diffComment(ctx, { kind: 'trigger', table: t.table, name: t.name }, f.comment, t.comment, key(t));
    }
  }
  for (const f of ctx.from.triggers) if (!toTriggers.has(key(f))) drop(f);
}

function emitPolicies(ctx: DiffContext): void {
  const key = (p: Policy) => objectKey.policy(p.table, p.name);
  const fromPolicies = new Map(ctx.from.policies.map((p) => [key(p), p]));
  const toPolicies = new Map(ctx.to.policies.map((p) => [key(p), p]));
  const create = (p: Policy) =>
    ctx.add({ kind: 'createPolicy', policy: p }, { phase: Phase.triggers, adds: [key(p)], claims: [names.policy(p.table, p.name)] });
  const drop = (p: Policy) => ctx.add({ kind: 'dropPolicy', policy: p }, { phase: Phase.drops, removes: [key(p)], frees: [names.policy(p.table, p.name)] });
  for (const t of ctx.to.policies) {
    const f = fromPolicies.get(key(t));
    if (!f) create(t);
    else if (!alterablePolicy(f, t) || ctx.rebuild.has(key(t))) {
      drop(f);
      create(t);
    } else {
      if (f.roles.join() !== t.roles.join() || f.using !== t.using || f.withCheck !== t.withCheck) {
        ctx.add({ kind: 'alterPolicy', from: f, to: t }, { phase: Phase.triggers, adds: [key(t)], removes: [key(t)] });
      }
      diffComment(ctx, { kind: 'policy', table: t.table, name: t.name }, f.comment, t.comment, key(t));
    }
  }
  for (const f of ctx.from.policies) if (!toPolicies.has(key(f))) drop(f);
}

export function emitObjects(ctx: DiffContext): void {
  emitViews(ctx);
  emitRoutines(ctx);
  emitTriggers(ctx);
  emitPolicies(ctx);
}

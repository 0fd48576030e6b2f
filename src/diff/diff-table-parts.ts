/** Constraints and indexes of a table (or materialized view) that exists on both sides. */
import { objectKey } from '../schema/object-key';
import type { Constraint, Index, Table } from '../schema/snapshot';
import { constraintMatchKey, indexMatchKey } from './align-names';
import { matchBy } from './match-by';
import type { DiffContext } from './diff-context';
import type { AttachedNames } from './diff-partitions';
import { diffComment } from './diff-privileges';
import type { Planned } from './planned';
import { names, Phase } from './planned';

export function addConstraint(ctx: DiffContext, table: string, c: Constraint): Planned {
  const claims = [names.constraint(table, c.name)];
  if (c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'exclude') claims.push(names.relation(c.name));
  return ctx.add({ kind: 'addConstraint', table, constraint: c }, { phase: Phase.constraints, adds: [objectKey.constraint(table, c.name)], claims });
}

export function dropConstraint(ctx: DiffContext, table: string, c: Constraint): Planned {
  const frees = [names.constraint(table, c.name)];
  if (c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'exclude') frees.push(names.relation(c.name));
  return ctx.add({ kind: 'dropConstraint', table, constraint: c }, { phase: Phase.drops, removes: [objectKey.constraint(table, c.name)], frees });
}

/** Constraints of a kept table; `skip` names the ones that involve a partition's attached constraint. */
export function emitConstraints(ctx: DiffContext, from: Table, to: Table, skip: AttachedNames): void {
  const table = to.name;
  const { pairs, dropped, added } = matchBy(
    from.constraints.filter((c) => !skip.from.has(c.name)),
    to.constraints.filter((c) => !skip.to.has(c.name)),
    constraintMatchKey,
  );
  for (const c of dropped) dropConstraint(ctx, table, c);
  for (const c of added) addConstraint(ctx, table, c);
  for (const [f, t] of pairs) {
    if (ctx.rebuild.has(objectKey.constraint(table, f.name))) {
      dropConstraint(ctx, table, f);
      addConstraint(ctx, table, t);
      continue;
    }
    diffComment(ctx, { kind: 'constraint', table, name: t.name }, f.comment, t.comment, objectKey.constraint(table, t.name));
  }
}

export function createIndex(ctx: DiffContext, table: string, index: Index): Planned {
  return ctx.add(
    { kind: 'createIndex', table, index },
    { phase: Phase.constraints, adds: [objectKey.index(table, index.name)], claims: [names.relation(index.name)] },
  );
}

export function dropIndex(ctx: DiffContext, table: string, index: Index): Planned {
  return ctx.add(
    { kind: 'dropIndex', table, index },
    { phase: Phase.drops, removes: [objectKey.index(table, index.name)], frees: [names.relation(index.name)] },
  );
}

/** Indexes of a table, or of a materialized view that is not re-created. */
export function emitIndexes(ctx: DiffContext, table: string, from: readonly Index[], to: readonly Index[], skip?: AttachedNames): void {
  const { pairs, dropped, added } = skip
    ? matchBy(
        from.filter((i) => !skip.from.has(i.name)),
        to.filter((i) => !skip.to.has(i.name)),
        indexMatchKey,
      )
    : matchBy(from, to, indexMatchKey);
  for (const i of dropped) dropIndex(ctx, table, i);
  for (const i of added) createIndex(ctx, table, i);
  for (const [f, t] of pairs) {
    if (ctx.rebuild.has(objectKey.index(table, f.name))) {
      dropIndex(ctx, table, f);
      createIndex(ctx, table, t);
      continue;
    }
    diffComment(ctx, { kind: 'index', name: t.name }, f.comment, t.comment, objectKey.index(table, t.name));
  }
}

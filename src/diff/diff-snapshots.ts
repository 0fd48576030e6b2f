import type { Operation } from '../operations/operation';
import { objectKey } from '../schema/object-key';
import type { Snapshot } from '../schema/snapshot';
import { outsideDependantsOf } from '../schema/snapshot';
import { alignNames } from './align-names';
import type { Normalize } from './definition-differences';
import { adoptEquivalentTexts } from './definition-differences';
import { applyRenames } from './apply-renames';
import { DiffContext } from './diff-context';
import { analyzeObjects, emitObjects } from './diff-objects';
import { emitOwners, flagOwnedByOthers, ownedByCreator } from './diff-owners';
import { refuseOutsideDependants } from './outside-dependants';
import { analyzeTables, emitTables } from './diff-tables';
import { analyzeTypes, emitTypes } from './diff-types';
import { orderOperations } from './order-operations';
import type { Planned } from './planned';
import { names, Phase } from './planned';
import type { RenameHint, RenameResolver } from './renames';
import { renameByShape, resolveRenames } from './renames';
import { restoreOldNames } from './restore-old-names';

export interface DiffOptions {
  /** Rename hints: `table:old=new`, `column:table.old=new` (or parsed {@link RenameHint}s). */
  readonly renames?: readonly (string | RenameHint)[];
  /**
   * Decides the renames the hints leave open. Default {@link renameByShape}: same-shape
   * pairs become renames flagged `review: true`. Pass {@link noRenames} to drop and add.
   */
  readonly resolveRenames?: RenameResolver;
  /**
   * The SU role that privileged operations will run as (the renderers' `suRole`): what they
   * create belongs to it, so their create operations write no `OWNER TO` where the target's
   * owner is that role. Without it, the owner of such objects is set explicitly.
   */
  readonly suRole?: string;
  /**
   * Normal forms of definitions (views, check constraints, defaults, index definitions,
   * policies) whose text PostgreSQL does not print as a fixpoint: two definitions with equal
   * normal forms are equal, and the target's text is what gets rendered. Collect the answers
   * for the texts `textualDifferences` lists first (a round trip through a database), then
   * look them up.
   */
  readonly normalize?: Normalize;
}

function planRenames(ctx: DiffContext, operations: readonly Operation[]): void {
  const tableOps = new Map<string, Planned>();
  const columnOps: Planned[] = [];
  for (const op of operations) {
    if (op.kind === 'renameTable') {
      const table = ctx.to.tables.find((t) => t.name === op.to);
      const keys = [objectKey.table(op.to), ...(table?.columns ?? []).map((c) => objectKey.column(op.to, c.name))];
      tableOps.set(
        op.to,
        ctx.add(op, {
          phase: Phase.renames,
          rename: true,
          adds: keys,
          removes: keys,
          frees: [names.relation(op.from), names.type(op.from)],
          claims: [names.relation(op.to), names.type(op.to)],
        }),
      );
    } else if (op.kind === 'renameColumn') {
      const key = objectKey.column(op.table, op.to);
      const p = ctx.add(op, {
        phase: Phase.renames,
        rename: true,
        adds: [key],
        removes: [key],
        frees: [names.column(op.table, op.from)],
        claims: [names.column(op.table, op.to)],
      });
      const t = tableOps.get(op.table);
      if (t) p.after.push(t);
      columnOps.push(p);
    } else if (op.kind === 'renameConstraint') {
      const key = objectKey.constraint(op.table, op.to);
      const p = ctx.add(op, {
        phase: Phase.renames,
        rename: true,
        adds: [key],
        removes: [key],
        frees: [names.constraint(op.table, op.from), names.relation(op.from)],
        claims: [names.constraint(op.table, op.to), names.relation(op.to)],
      });
      p.after.push(...tableOps.values(), ...columnOps);
    } else if (op.kind === 'renameIndex' || op.kind === 'renameSequence') {
      const p = ctx.add(op, { phase: Phase.renames, rename: true, frees: [names.relation(op.from)], claims: [names.relation(op.to)] });
      p.after.push(...tableOps.values(), ...columnOps);
    }
  }
}

/**
 * Compares two snapshots and returns the operations that turn `from` into `to`, ordered by
 * the recorded dependencies. Pure: no database, same input, same output.
 *
 * @example
 * ```ts
 * const ops = diffSnapshots(current, wanted, { renames: ['column:orders.qty=quantity'] });
 * renderSql(ops, { schema: 'crmp' });
 * // ALTER TABLE "crmp"."orders" RENAME COLUMN "qty" TO "quantity";
 * ```
 */
export function diffSnapshots(from: Snapshot, to: Snapshot, options: DiffOptions = {}): Operation[] {
  const resolved = resolveRenames(from, to, options.renames ?? [], options.resolveRenames ?? renameByShape);
  const renamed = applyRenames(from, to, resolved);
  const aligned = alignNames(renamed.snapshot, to);
  const source = options.normalize ? adoptEquivalentTexts(aligned.snapshot, to, options.normalize) : aligned.snapshot;
  const ctx = new DiffContext(source, to, renamed.renamedKeys);
  planRenames(ctx, [...renamed.operations, ...aligned.operations]);
  // tables first: enum changes look at which tables are kept
  analyzeTables(ctx);
  analyzeTypes(ctx);
  analyzeObjects(ctx);
  ctx.propagate();
  emitTypes(ctx);
  emitTables(ctx);
  emitObjects(ctx);
  emitOwners(ctx, options.suRole);
  if (ctx.planned.length === 0) return [];
  const outside = outsideDependantsOf(from).map((d) => ({ ...d, object: aligned.remap(renamed.remap(d.object)) }));
  refuseOutsideDependants(outside, ctx.planned);
  const ordered = orderOperations(ctx.planned, ctx.fromGraph, ctx.toGraph).map((p) => p.op);
  return restoreOldNames(ownedByCreator(flagOwnedByOthers(ordered, ctx.from), options.suRole));
}

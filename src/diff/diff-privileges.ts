import type { ObjectTarget } from '../operations/operation';
import type { Grant, Grants, ObjectKey } from '../schema/snapshot';
import type { DiffContext } from './diff-context';
import { Phase } from './planned';

function same(a: Grant, b: Grant): boolean {
  return a.grantee === b.grantee && a.privilege === b.privilege && a.grantable === b.grantable;
}

function minus(a: readonly Grant[], b: readonly Grant[]): Grant[] {
  return a.filter((x) => !b.some((y) => same(x, y)));
}

/** COMMENT ON when the comment changed on an object that exists on both sides. */
export function diffComment(ctx: DiffContext, target: ObjectTarget, from: string | null, to: string | null, object: ObjectKey): void {
  if (from === to) return;
  ctx.add({ kind: 'setComment', target, from, to }, { phase: Phase.privileges, requires: [object] });
}

/** GRANT / REVOKE to go from one set of privileges to another (revokes first). */
export function diffGrants(ctx: DiffContext, target: ObjectTarget, from: Grants, to: Grants, object: ObjectKey): void {
  const revoke = [...minus(from.granted, to.granted), ...minus(to.revoked, from.revoked)];
  const grant = [...minus(to.granted, from.granted), ...minus(from.revoked, to.revoked)];
  for (const g of revoke) ctx.add({ kind: 'revoke', target, grant: g }, { phase: Phase.privileges, requires: [object] });
  for (const g of grant) ctx.add({ kind: 'grant', target, grant: g }, { phase: Phase.privileges, requires: [object] });
}

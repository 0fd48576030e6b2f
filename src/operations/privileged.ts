import type { Operation } from './operation';

/**
 * Whether the operation must run as the SU role: only a superuser may run it (creating,
 * changing or dropping an untrusted extension, or a routine in an untrusted language, which
 * the SU role then owns; changing an owner), or it changes an object another role owns (the
 * diff flags those `superuser`). Renderers run these as the SU role (`SET ROLE` in SQL,
 * `ctx.asSuperuser` in revisions, `asSuperuser` when a model is built).
 *
 * @example
 * ```ts
 * isPrivilegedOperation({ kind: 'createRoutine', routine: { ...plpython, privileged: true } }) // true
 * isPrivilegedOperation({ kind: 'renameTable', from: 'a', to: 'b' }) // false
 * ```
 */
export function isPrivilegedOperation(op: Operation): boolean {
  if (op.superuser) return true;
  switch (op.kind) {
    case 'createExtension':
    case 'dropExtension':
      return op.extension.privileged;
    case 'alterExtension':
      return op.privileged;
    case 'createRoutine':
    case 'dropRoutine':
      return op.routine.privileged;
    case 'replaceRoutine':
      return op.from.privileged || op.to.privileged;
    case 'alterOwner':
      return true;
    default:
      return false;
  }
}

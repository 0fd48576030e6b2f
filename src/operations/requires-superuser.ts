import type { Operation } from './operation';

/**
 * True when only a superuser may run the operation, or it changes an object another role owns:
 * creating, replacing or dropping a routine in an untrusted language (`plpython3u`, `c`),
 * creating, updating or dropping an extension that needs a superuser, changing an object's
 * owner, and whatever the diff flagged `superuser`. Renderers run these as the SU role
 * (`SET ROLE` in SQL, `ctx.asSuperuser` in revisions).
 *
 * @example
 * ```ts
 * requiresSuperuser({ kind: 'createRoutine', routine: plpythonFunction }) // true
 * requiresSuperuser({ kind: 'renameTable', from: 'a', to: 'b' }) // false
 * ```
 */
export function requiresSuperuser(op: Operation): boolean {
  if (op.superuser) return true;
  switch (op.kind) {
    case 'createRoutine':
    case 'dropRoutine':
      return op.routine.privileged;
    case 'replaceRoutine':
      return op.from.privileged || op.to.privileged;
    case 'createExtension':
    case 'dropExtension':
      return op.extension.privileged;
    case 'alterExtension':
      return op.privileged;
    case 'alterOwner':
      return true;
    default:
      return false;
  }
}

import type { Operation } from './operation';

/**
 * Whether only a superuser may run the operation: creating, changing or dropping an untrusted
 * extension, or a routine in an untrusted language (which the SU role then owns).
 *
 * @example
 * ```ts
 * isPrivilegedOperation({ kind: 'createRoutine', routine: { ...plpython, privileged: true } }) // true
 * ```
 */
export function isPrivilegedOperation(op: Operation): boolean {
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
    default:
      return false;
  }
}

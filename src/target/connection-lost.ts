import { describeError } from '../errors';

/** SQLSTATEs that end the session: admin/crash shutdown, idle-in-transaction timeout, class 08. */
const LOST_CODES = /^(57P0[1-4]|25P03|08...)$/;
/** pg's and Node's words when the socket is gone. */
const LOST_WORDS = /Connection terminated|not queryable|ECONNRESET|EPIPE|ETIMEDOUT|the connection was closed|the session was closed/i;

/**
 * True when `error` (or what caused it) says the session's connection is gone: terminated
 * (`pg_terminate_backend`, a server shutdown or restart), timed out while idle in a transaction,
 * or cut. Nothing more can run on that session, and the server has rolled back its open
 * transaction.
 *
 * @example
 * ```ts
 * isConnectionLost(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })) // true
 * isConnectionLost(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })) // false
 * ```
 */
export function isConnectionLost(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && LOST_CODES.test(code)) return true;
    if (LOST_WORDS.test(e.message)) return true;
  }
  return false;
}

/** The innermost driver or server message, for "the connection was lost (...)". */
export function lostReason(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && (e as { cause?: unknown }).cause instanceof Error) e = (e as { cause?: unknown }).cause;
  return describeError(e);
}

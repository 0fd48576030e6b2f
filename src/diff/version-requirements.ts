/**
 * Features of the schema language that older PostgreSQL majors lack, and which operations use
 * them. Pure: the caller knows the server's version (`server_version_num`) and refuses the
 * operations by name before any SQL runs, instead of sending SQL that fails with a syntax error.
 *
 * The same list feeds the compatibility table of the docs (`scripts/versions/compat-table.js`),
 * and `npm run test:versions` checks every entry on every major.
 */
import { DatabaseError } from '../errors';
import type { Operation } from '../operations/operation';
import { describeOperation } from '../render/describe-operation';

/** One feature that needs a minimum major. */
export interface VersionFeature {
  /** Stable id, used by the compatibility table and its tests. */
  readonly id: string;
  /** As the SQL spells it, for messages: `NULLS NOT DISTINCT`. */
  readonly name: string;
  /** The first major that has it. */
  readonly since: number;
  /** True for a text of an operation (a definition, an option) that uses the feature. */
  readonly uses: (text: string) => boolean;
}

/** The features Retort knows a minimum major for, oldest first. */
export const VERSION_FEATURES: readonly VersionFeature[] = [
  { id: 'begin-atomic', name: 'SQL-standard function bodies (BEGIN ATOMIC)', since: 14, uses: (t) => /\bBEGIN\s+ATOMIC\b/i.test(t) },
  { id: 'nulls-not-distinct', name: 'NULLS NOT DISTINCT', since: 15, uses: (t) => /\bNULLS\s+NOT\s+DISTINCT\b/i.test(t) },
  { id: 'security-invoker', name: 'security_invoker views', since: 15, uses: (t) => /^\s*security_invoker\s*=\s*(true|on|1|yes)\s*$/i.test(t) },
];

/** One use of a feature the server lacks. */
export interface VersionShortfall {
  readonly feature: VersionFeature;
  /** What the operation does, e.g. `added unique constraint 'orders.orders_code_key'`. */
  readonly object: string;
}

/** The uses of features that a server of `serverVersion` (`server_version_num`, e.g. 130016) lacks, in operation order. */
export function versionShortfalls(operations: readonly Operation[], serverVersion: number): VersionShortfall[] {
  const major = Math.floor(serverVersion / 10000);
  const missing = VERSION_FEATURES.filter((f) => f.since > major);
  if (missing.length === 0) return [];
  const found: VersionShortfall[] = [];
  for (const op of operations) {
    if (op.kind.startsWith('drop')) continue; // what is dropped exists on that server already
    const texts = stringsOf(op);
    for (const feature of missing) {
      if (texts.some(feature.uses)) found.push({ feature, object: describeOperation(op).replace(/^Detected /, '') });
    }
  }
  return found;
}

/**
 * Refuses operations that need a newer major than the server's, naming the feature, the major
 * it needs and the object.
 *
 * @example
 * ```ts
 * assertServerSupports(ops, 130016, 'the target');
 * // DatabaseError VERSION_FEATURE: NULLS NOT DISTINCT needs PostgreSQL 15; the target runs 13 (added unique constraint 'orders.orders_code_key'). ...
 * ```
 * @throws DatabaseError `VERSION_FEATURE` (exit 2).
 */
export function assertServerSupports(operations: readonly Operation[], serverVersion: number, server = 'the database'): void {
  const [first, ...rest] = versionShortfalls(operations, serverVersion);
  if (!first) return;
  const major = Math.floor(serverVersion / 10000);
  const more = rest.length > 0 ? `, and ${rest.length} more use${rest.length === 1 ? '' : 's'} of features PostgreSQL ${major} lacks` : '';
  throw new DatabaseError(
    'VERSION_FEATURE',
    `${first.feature.name} needs PostgreSQL ${first.feature.since}; ${server} runs ${major} (${first.object}${more}). Change the model, or upgrade the server.`,
  );
}

/** Every string in an operation's data (definitions, options, names). */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
  return out;
}

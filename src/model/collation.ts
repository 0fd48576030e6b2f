/** A collation as plain data. */
export interface CollationNode {
  readonly name: string;
  readonly provider: 'icu' | 'libc' | 'builtin';
  /** ICU (or builtin) locale, e.g. `en-u-kn-true`. */
  readonly locale?: string;
  /** libc `LC_COLLATE` and `LC_CTYPE` (default: `locale`). */
  readonly lcCollate?: string;
  readonly lcCtype?: string;
  /** Default true; false compares strings that differ only in, say, case as equal (ICU). */
  readonly deterministic?: boolean;
  readonly comment?: string;
}

/**
 * Defines a collation.
 *
 * @example
 * ```ts
 * collation('numeric', { provider: 'icu', locale: 'en-u-kn-true' });
 * // CREATE COLLATION "crmp"."numeric" (provider = icu, locale = 'en-u-kn-true')
 * ```
 */
export function collation(name: string, options: Omit<CollationNode, 'name'>): CollationNode {
  return Object.freeze({ name, ...options });
}

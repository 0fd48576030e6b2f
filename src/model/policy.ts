import type { SqlExpression } from './schema-scope';

/** A row-level security policy as plain data. */
export interface PolicyNode {
  readonly name: string;
  readonly table: string;
  /** Default `permissive`. */
  readonly as?: 'permissive' | 'restrictive';
  /** Default `all`. */
  readonly for?: 'all' | 'select' | 'insert' | 'update' | 'delete';
  /** Role names (`session_user`: the role that builds the model); default `PUBLIC`. */
  readonly to?: readonly string[];
  /** Which existing rows are visible: `sql\`manager = current_user\``. */
  readonly using?: SqlExpression;
  /** Which new rows may be written. */
  readonly withCheck?: SqlExpression;
  readonly comment?: string;
}

/**
 * Defines a row-level security policy (enable row-level security on the table with
 * `.enableRowLevelSecurity()`).
 *
 * @example
 * ```ts
 * policy('account_managers', { table: 'accounts', as: 'restrictive', to: ['managers'], using: sql`manager = current_user` });
 * // CREATE POLICY "account_managers" ON "crmp"."accounts" AS RESTRICTIVE FOR ALL TO "managers" USING (manager = current_user)
 * ```
 */
export function policy(name: string, options: Omit<PolicyNode, 'name'>): PolicyNode {
  return Object.freeze({ name, ...options });
}

import type { Operation } from '../operations/operation';
import { isPrivilegedOperation } from '../operations/privileged';
import { quoteIdent } from '../schema/sql-text';
import { toSql } from './fragments';
import { operationStatements } from './operation-statements';

export interface RenderSqlOptions {
  /** The schema the SQL targets. */
  readonly schema: string;
  /**
   * Start with `SET search_path` (the schema, then public) and, when routines are created,
   * `SET check_function_bodies = false`. Definitions read from the catalog name their own
   * schema's objects unqualified, so they need it. Default true.
   */
  readonly header?: boolean;
  /**
   * The SU role: operations only a superuser may run, or that change objects another role
   * owns ({@link isPrivilegedOperation}), are wrapped in `SET ROLE <suRole>` ... `RESET ROLE`.
   * Pass the same role as `diffSnapshots`' `suRole`. Without it they run as they are.
   */
  readonly suRole?: string;
}

/** Comment lines for an operation's flags: REVIEW, DESTRUCTIVE, NOTE. */
export function operationRemarks(op: Operation): string[] {
  const out: string[] = [];
  if (op.review) out.push(`REVIEW: ${op.note ?? 'check this operation before running it'}`);
  if (op.destructive) out.push(`DESTRUCTIVE: ${op.reason ?? 'loses data'}`);
  if (op.note && !op.review) out.push(`NOTE: ${op.note}`);
  return out;
}

/** True when the operations create routines (whose bodies must not be checked on creation). */
export function createsRoutines(ops: readonly Operation[]): boolean {
  return ops.some((op) => op.kind === 'createRoutine' || op.kind === 'replaceRoutine' || (op.kind === 'addEnumValue' && op.dependants.length > 0));
}

/**
 * Renders operations as plain SQL for one schema; every identifier is quoted.
 *
 * @example
 * ```ts
 * renderSql([{ kind: 'renameTable', from: 'a', to: 'b' }], { schema: 'crmp' });
 * // SET search_path TO "crmp", "public";
 * //
 * // ALTER TABLE "crmp"."a" RENAME TO "b";
 * ```
 */
export function renderSql(ops: readonly Operation[], options: RenderSqlOptions): string {
  if (ops.length === 0) return '';
  const blocks: string[] = [];
  if (options.header ?? true) {
    const header = [`SET search_path TO ${quoteIdent(options.schema)}, "public";`];
    if (createsRoutines(ops)) header.push('SET check_function_bodies = false;');
    blocks.push(header.join('\n'));
  }
  let asSuperuser = false;
  for (const op of ops) {
    const privileged = options.suRole !== undefined && isPrivilegedOperation(op);
    if (privileged !== asSuperuser) {
      blocks.push(privileged ? `SET ROLE ${quoteIdent(options.suRole!)};` : 'RESET ROLE;');
      asSuperuser = privileged;
    }
    const lines = operationRemarks(op).map((r) => `-- ${r.replace(/\n/g, ' ')}`);
    for (const s of operationStatements(op)) lines.push(toSql(s, options.schema) + ';');
    if (lines.length > 0) blocks.push(lines.join('\n'));
  }
  if (asSuperuser) blocks.push('RESET ROLE;');
  return blocks.join('\n\n') + '\n';
}

/**
 * The lint rules: ids, default severities, what each one protects against and the safer form.
 * Pure data; the checks live in check-source.ts and check-sql.ts.
 */

/** Every rule id `migrate lint` knows; `retort-lint-disable` takes these. */
export const LINT_RULE_IDS = [
  'literal-schema',
  'unqualified-in-body',
  'column-type-change',
  'set-not-null',
  'index-not-concurrent',
  'fk-not-valid',
  'render-failed',
  'unknown-rule',
] as const;

export type LintRuleId = (typeof LINT_RULE_IDS)[number];

export type LintSeverity = 'error' | 'warning';

export interface LintRule {
  readonly id: LintRuleId;
  readonly severity: LintSeverity;
  /** One line: what the rule looks for. */
  readonly summary: string;
  /** The form to write instead. */
  readonly safer: string;
}

/** The rules with their default severities. */
export const LINT_RULES: Readonly<Record<LintRuleId, LintRule>> = {
  'literal-schema': {
    id: 'literal-schema',
    severity: 'error',
    summary: 'a schema named literally instead of the target schema',
    safer: 'take the schema from ctx: ctx.db.schema.withSchema(ctx.schema) or ${ctx.sql.id(ctx.schema, name)}',
  },
  'unqualified-in-body': {
    id: 'unqualified-in-body',
    severity: 'warning',
    summary: "a function body names a table without its schema and does not pin search_path, so the caller's search_path decides which table it reads",
    safer: 'qualify the table with ${ctx.sql.id(ctx.schema, name)}, or pin the function with SET search_path = ${ctx.sql.id(ctx.schema)}, pg_temp',
  },
  'column-type-change': {
    id: 'column-type-change',
    severity: 'warning',
    summary: 'ALTER COLUMN ... TYPE rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, unless the change is binary-compatible',
    safer:
      'add a new column, backfill it in batches, then switch readers and drop the old one; or keep to binary-compatible changes (varchar(n) to a larger n or to text)',
  },
  'set-not-null': {
    id: 'set-not-null',
    severity: 'warning',
    summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
    safer:
      'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a separate transaction (a later revision, with --transaction-per-revision); then SET NOT NULL (no scan on PostgreSQL 12+) and DROP CONSTRAINT c',
  },
  'index-not-concurrent': {
    id: 'index-not-concurrent',
    severity: 'warning',
    summary: 'building an index on an existing table without CONCURRENTLY blocks writes to it until the build ends',
    safer:
      'CREATE INDEX CONCURRENTLY in a revision with `export const transactional = false`; for a constraint, ADD CONSTRAINT ... UNIQUE USING INDEX on that index',
  },
  'fk-not-valid': {
    id: 'fk-not-valid',
    severity: 'warning',
    summary: 'ADD FOREIGN KEY on an existing table checks every row while it locks both tables',
    safer:
      'ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (a later revision, with --transaction-per-revision)',
  },
  'render-failed': {
    id: 'render-failed',
    severity: 'warning',
    summary: 'the revision could not be rendered as SQL offline, so its SQL was not checked',
    safer: 'guard reads with `if (!ctx.offline)` so that `migrate upgrade --sql` and `migrate lint` can render the revision',
  },
  'unknown-rule': {
    id: 'unknown-rule',
    severity: 'warning',
    summary: 'a retort-lint-disable comment names a rule that does not exist',
    safer: `name one of: ${['literal-schema', 'unqualified-in-body', 'column-type-change', 'set-not-null', 'index-not-concurrent', 'fk-not-valid'].join(', ')}`,
  },
};

/** True when `id` names a rule. */
export function isLintRuleId(id: string): id is LintRuleId {
  return (LINT_RULE_IDS as readonly string[]).includes(id);
}

/** One problem in one revision. */
export interface LintFinding {
  /** Absolute path of the revision file. */
  readonly file: string;
  /** 1-based line in the revision file (for SQL findings: the line whose code ran the statement). */
  readonly line: number;
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  /** What is wrong, naming the object. */
  readonly message: string;
  readonly safer: string;
  /** The revision id, when the file is a loaded revision. */
  readonly revision?: string;
  /** For SQL findings: `upgrade` or `downgrade`, and the start of the statement. */
  readonly direction?: 'upgrade' | 'downgrade';
  readonly statement?: string;
}

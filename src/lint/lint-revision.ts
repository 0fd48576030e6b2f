import { checkSource, disabledRules, functionLine, lineAt } from './check-source';
import { checkStatements, newSqlCheckState, type SqlCheckState } from './check-sql';
import { LINT_RULES, type LintFinding, type LintRuleId, type LintSeverity } from './rules';

/** One statement a revision ran while rendered offline, and the source line of the call that ran it. */
export interface RenderedStatement {
  readonly text: string;
  /** 1-based line in the revision file of the innermost call from it (the `.execute()`), if known. */
  readonly line?: number;
}

/** What rendering one direction of a revision produced. */
export interface RenderedDirection {
  readonly direction: 'upgrade' | 'downgrade';
  readonly statements: readonly RenderedStatement[];
  /** Set when the revision threw while rendering; the statements before it are still checked. */
  readonly error?: string;
}

export interface LintRevisionInput {
  readonly file: string;
  readonly source: string;
  readonly revision?: string;
  readonly rendered: readonly RenderedDirection[];
  /** The schema name the revision was rendered with (`ctx.schema`). */
  readonly placeholder: string;
  /** Schema names that are literal wherever they qualify a name (the project's default schema, `public`). */
  readonly knownSchemas: readonly string[];
  /** Carried from revision to revision in upgrade order (see {@link SqlCheckState}). */
  readonly state?: SqlCheckState;
  /** Severity overrides; `off` drops the rule. */
  readonly severities?: Partial<Record<LintRuleId, LintSeverity | 'off'>>;
}

/**
 * Lints one revision: its source text and the SQL it renders, in both directions. Pure: the caller
 * loads the file and renders it. Findings are sorted by line; rules named in a
 * `retort-lint-disable` comment of the file are dropped.
 *
 * @example
 * ```ts
 * lintRevision({ file: 'r.ts', source, placeholder: 'p', knownSchemas: ['crmp'],
 *   rendered: [{ direction: 'upgrade', statements: [{ text: 'create index "i" on "p"."t" ("a")', line: 12 }] }] })
 * // [{ file: 'r.ts', line: 12, rule: 'index-not-concurrent', severity: 'warning', ... }]
 * ```
 */
export function lintRevision(input: LintRevisionInput): LintFinding[] {
  const { file, source } = input;
  const disables = disabledRules(source);
  const raw: Array<Omit<LintFinding, 'severity' | 'safer' | 'file'>> = [];
  const base = input.revision ? { revision: input.revision } : {};
  for (const s of checkSource(source, input.knownSchemas)) raw.push({ ...base, rule: s.rule, line: s.line, message: s.message });
  const ctx = { placeholder: input.placeholder, knownSchemas: input.knownSchemas };
  for (const r of input.rendered) {
    const fallback = functionLine(source, r.direction) ?? 1;
    const state = r.direction === 'upgrade' ? (input.state ?? newSqlCheckState()) : newSqlCheckState();
    for (const issue of checkStatements(
      r.statements.map((s) => s.text),
      ctx,
      state,
    )) {
      const stmt = r.statements[issue.statement]!;
      raw.push({
        ...base,
        rule: issue.rule,
        line: sourceLineOf(source, stmt, issue.offset) ?? fallback,
        message: `${issue.message} (${r.direction})`,
        direction: r.direction,
        statement: excerpt(stmt.text),
      });
    }
    if (r.error !== undefined) {
      raw.push({
        ...base,
        rule: 'render-failed',
        line: fallback,
        message: `${r.direction}() could not be rendered offline: ${r.error}; the rest of its SQL was not checked`,
        direction: r.direction,
      });
    }
  }
  for (const u of disables.unknown)
    raw.push({ ...base, rule: 'unknown-rule', line: u.line, message: `retort-lint-disable names "${u.name}", which is not a rule` });

  const seen = new Set<string>();
  const out: LintFinding[] = [];
  for (const f of raw) {
    if (disables.rules.has(f.rule)) continue;
    const severity = input.severities?.[f.rule] ?? LINT_RULES[f.rule].severity;
    if (severity === 'off') continue;
    // The same literal schema is usually seen twice: in the source text and in the SQL it renders.
    const key = f.rule === 'literal-schema' ? `${f.rule}:${f.line}` : `${f.rule}:${f.line}:${f.direction ?? ''}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file, ...f, severity, safer: LINT_RULES[f.rule].safer });
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/**
 * The source line of the SQL at `offset` in a statement. The call that ran it is usually
 * `` sql`...`.execute(db) ``, whose position is the template's last line; when the line that many
 * lines above opens a template literal, the offset's line within the template is used.
 */
function sourceLineOf(source: string, stmt: RenderedStatement, offset: number): number | undefined {
  if (stmt.line === undefined) return undefined;
  const newlines = countNewlines(stmt.text, stmt.text.length);
  if (newlines === 0) return stmt.line;
  const start = stmt.line - newlines;
  const lines = source.split('\n');
  if (start < 1 || !(lines[start - 1] ?? '').includes('`')) return stmt.line;
  return start + countNewlines(stmt.text, offset);
}

function countNewlines(text: string, end: number): number {
  return lineAt(text, end) - 1;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

/** Counts by severity, for the summary line and the exit code. */
export function countFindings(findings: readonly LintFinding[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

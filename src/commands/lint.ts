import * as path from 'node:path';
import { ConfigError } from '../errors';
import { newSqlCheckState } from '../lint/check-sql';
import { countFindings, lintRevision } from '../lint/lint-revision';
import { renderRevision, type RenderedRevision } from '../lint/render-revision';
import type { LintFinding, LintRuleId, LintSeverity } from '../lint/rules';
import type { Project } from './project';

/** The schema name revisions are rendered with: anything else that qualifies a name is literal. */
export const LINT_SCHEMA = 'retort_lint_schema';

export interface LintOptions {
  /** Severity overrides, e.g. `{ 'index-not-concurrent': 'error' }`; `off` drops a rule. */
  readonly severities?: Partial<Record<LintRuleId, LintSeverity | 'off'>>;
  /** Warnings count as errors. */
  readonly strict?: boolean;
  /** Schema names that are literal wherever they qualify a name; default: the project's schema_name (or crmp) and public. */
  readonly knownSchemas?: readonly string[];
}

export interface LintReport {
  /** Revision ids linted, in upgrade order. */
  readonly revisions: readonly string[];
  readonly findings: readonly LintFinding[];
  readonly errors: number;
  readonly warnings: number;
}

/**
 * Renders one revision's SQL offline with {@link LINT_SCHEMA} as `ctx.schema` (both directions),
 * with the source line that ran each statement. The same SQL `migrate upgrade --sql` prints, minus
 * the transaction and version-table statements.
 *
 * @example
 * ```ts
 * const r = await renderRevisionSql(project, '7a3b9c0d1e2f');
 * r.rendered[0].statements.map((s) => s.text); // ['alter table "retort_lint_schema"."meta_station" add column ...']
 * ```
 */
export function renderRevisionSql(project: Project, id: string): Promise<RenderedRevision> {
  const rev = project.revision(id);
  return renderRevision({ file: rev.source, schema: LINT_SCHEMA, ...(project.config.suRoleName ? { suRole: project.config.suRoleName } : {}) });
}

/**
 * Lints revisions (default: all) of a project, in upgrade order: literal schemas, unqualified
 * names in function bodies, and DDL that locks existing tables. `upgrade` can call it for the
 * pending revisions and print the warnings before running them.
 *
 * @example
 * ```ts
 * const report = await lintRevisions(project, ['7a3b9c0d1e2f']);
 * for (const f of report.findings) console.log(formatFinding(f, process.cwd()));
 * ```
 */
export async function lintRevisions(project: Project, ids?: readonly string[], options: LintOptions = {}): Promise<LintReport> {
  const wanted = ids === undefined ? undefined : new Set(ids.flatMap((id) => project.graph.resolve(id)));
  const order = project.graph.planUpgrade([], 'heads').map((s) => s.revision.id);
  const selected = wanted === undefined ? order : order.filter((id) => wanted.has(id));
  const knownSchemas = (options.knownSchemas ?? [project.config.schemaName ?? 'crmp', 'public']).filter((s) => s !== LINT_SCHEMA);
  const state = newSqlCheckState();
  const findings: LintFinding[] = [];
  for (const id of selected) {
    const r = await renderRevisionSql(project, id);
    const found = lintRevision({
      file: r.file,
      source: r.source,
      revision: id,
      rendered: r.rendered,
      placeholder: LINT_SCHEMA,
      knownSchemas,
      state,
      ...(options.severities ? { severities: options.severities } : {}),
    });
    findings.push(...(options.strict ? found.map((f) => ({ ...f, severity: 'error' as const })) : found));
  }
  return { revisions: selected, findings, ...countFindings(findings) };
}

/**
 * `migrate lint [files...]`: lints the named revision files (paths relative to `cwd`), or all.
 * A file that is not a revision of `script_location` is an error.
 */
export function lintFiles(project: Project, files: readonly string[], cwd: string, options: LintOptions = {}): Promise<LintReport> {
  if (files.length === 0) return lintRevisions(project, undefined, options);
  const bySource = new Map(project.scripts.revisions.map((r) => [path.resolve(r.source), r.id]));
  const ids = files.map((f) => {
    const id = bySource.get(path.resolve(cwd, f));
    if (!id) {
      throw new ConfigError(
        'LINT_NOT_A_REVISION',
        `${path.resolve(cwd, f)} is not a revision in ${project.config.scriptLocation}. Name files from that folder, or run "migrate lint" with no arguments for all of them.`,
      );
    }
    return id;
  });
  return lintRevisions(project, ids, options);
}

/** `revisions/7a3b_add.ts:14 index-not-concurrent: CREATE INDEX ... (safer: ...)` */
export function formatFinding(f: LintFinding, cwd: string): string {
  const rel = path.relative(cwd, f.file);
  const file = rel.startsWith('..') ? f.file : rel;
  return `${file}:${f.line} ${f.rule}: ${f.message} (safer: ${f.safer})`;
}

/** `2 errors, 1 warning in 11 revisions` */
export function formatSummary(report: LintReport): string {
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `${n(report.errors, 'error')}, ${n(report.warnings, 'warning')} in ${n(report.revisions.length, 'revision')}`;
}

import * as fs from 'node:fs';
import { newSqlCheckState } from '../lint/check-sql';
import { lintRevision } from '../lint/lint-revision';
import { renderRevision } from '../lint/render-revision';
import type { LintFinding, LintRuleId } from '../lint/rules';
import { LINT_SCHEMA } from './lint';

/** Why a generated revision may do what a rule warns about, and what to do on a large table. */
const REASONS: Partial<Record<LintRuleId, string>> = {
  'index-not-concurrent':
    'generated: the index is built inside this revision\'s transaction; for a large, busy table move it to a revision with "export const transactional = false" and CREATE INDEX CONCURRENTLY',
  'fk-not-valid': 'generated: the foreign key is validated at once; on a large table add it NOT VALID here and VALIDATE CONSTRAINT in a later revision',
  'set-not-null':
    'generated: the model makes the column NOT NULL; on a large table add a CHECK (col IS NOT NULL) NOT VALID first and validate it in a later revision',
  'column-type-change':
    "generated: the model changes the column's type; check that it converts every row (see the REVIEW notes) before running it on a large table",
  'unqualified-in-body': "generated: the function body is the model's as written; qualify its tables with ${s(...)} in the model, or pin its search_path",
};

/**
 * Lints a revision autogenerate has just written, as `migrate lint` would, and silences each
 * warning rule it trips with a `retort-lint-disable` comment that gives the reason and the safer
 * form: the revisions autogenerate writes pass its own lint, and say where a person should look.
 * Errors are left for `lint` to report. Returns the rules it silenced.
 *
 * @example
 * ```ts
 * await silenceGeneratedWarnings('/srv/app/revisions/7a3b9c0d1e2f_add_index.ts', 'crmpdba')
 * // ['index-not-concurrent']; the file now has:
 * // // retort-lint-disable index-not-concurrent -- generated: the index is built inside ...
 * ```
 */
export async function silenceGeneratedWarnings(file: string, knownSchemas: readonly string[], suRole?: string): Promise<LintRuleId[]> {
  const rendered = await renderRevision({ file, schema: LINT_SCHEMA, ...(suRole ? { suRole } : {}) });
  const findings: LintFinding[] = lintRevision({
    file: rendered.file,
    source: rendered.source,
    revision: rendered.revision ?? file,
    rendered: rendered.rendered,
    placeholder: LINT_SCHEMA,
    knownSchemas: knownSchemas.filter((s) => s !== LINT_SCHEMA),
    state: newSqlCheckState(),
  });
  const rules = [...new Set(findings.filter((f) => f.severity === 'warning' && REASONS[f.rule] !== undefined).map((f) => f.rule))].sort();
  if (rules.length === 0) return [];
  const lines = rules.map((r) => `// retort-lint-disable ${r} -- ${REASONS[r]}`);
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('\nimport ');
  const updated = at < 0 ? `${lines.join('\n')}\n${text}` : `${text.slice(0, at + 1)}${lines.join('\n')}\n${text.slice(at + 1)}`;
  fs.writeFileSync(file, updated);
  return rules;
}

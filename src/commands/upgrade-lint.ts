import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RetortError } from '../errors';
import { lintRevision } from '../lint/lint-revision';
import type { LintFinding } from '../lint/rules';
import { cacheDirOf, type Project } from './project';

/** What `upgrade` does with lint before it runs the pending revisions (see {@link lintGate}). */
export interface LintGateOptions {
  /**
   * Render each pending revision offline and check its SQL as `migrate lint` does (the default). False
   * (`--no-lint`): check only the text of the revision files for errors, without loading them, and
   * report no warnings.
   */
  readonly render: boolean;
  /** Lint errors are reported like warnings and do not stop the upgrade (`--allow-lint-errors`). */
  readonly allowErrors: boolean;
  /** Receives the findings to show, before the upgrade stops or goes on. */
  readonly report?: (findings: readonly LintFinding[]) => void;
}

/**
 * Lints the revisions an upgrade is about to apply, before any DDL. Lint errors (a schema written
 * literally, so the revision writes outside the target schema) stop it, unless `allowErrors`.
 * Warnings (locks and rewrites) are reported only for a target that already has revisions: a
 * schema built from base has no data to lock. Only the pending revisions are linted, so an applied
 * revision never blocks a later upgrade.
 *
 * @example
 * ```ts
 * await lintGate(project, ['bbbb00000002'], ['aaaa00000001'], { render: true, allowErrors: false, report: print });
 * // throws LINT_ERRORS: "1 lint error in pending revision bbbb00000002; fix it or pass --allow-lint-errors"
 * ```
 */
export async function lintGate(project: Project, ids: readonly string[], heads: readonly string[], options: LintGateOptions): Promise<void> {
  // Without lint output and without the gate there is nothing to check.
  if (!options.render && options.allowErrors) return;
  const found: LintFinding[] = [];
  for (const id of ids) found.push(...(options.render ? await renderedFindings(project, id) : sourceFindings(project, id)));
  const errors = found.filter((f) => f.severity === 'error');
  const shown = heads.length > 0 && options.render ? found : errors;
  if (shown.length > 0) options.report?.(shown);
  if (errors.length === 0 || options.allowErrors) return;
  const revisions = [...new Set(errors.map((f) => f.revision ?? path.basename(f.file)))];
  const n = errors.length;
  throw new RetortError(
    'LINT_ERRORS',
    `${n} lint error${n === 1 ? '' : 's'} in pending revision${revisions.length === 1 ? '' : 's'} ${revisions.join(', ')}; fix ${n === 1 ? 'it' : 'them'} or pass --allow-lint-errors`,
  );
}

/** Schemas written literally that lint reports, as `migrate lint` has them for this project. */
function knownSchemas(project: Project): string[] {
  return [project.config.schemaName ?? 'crmp', 'public'];
}

/** Findings from the revision's text alone: no module is loaded. */
function sourceFindings(project: Project, id: string): LintFinding[] {
  const file = project.revision(id).source;
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  // No SQL is rendered, so no placeholder schema is needed.
  return lintRevision({ file, source, revision: id, rendered: [], placeholder: '', knownSchemas: knownSchemas(project) });
}

/** Bumped when the findings a file yields may change for the same file (rules, format). */
const CACHE_VERSION = 2;

/**
 * Full lint of one revision, cached per revision file (name, size, modification time, the schemas
 * lint knows) beside the compiled revisions: a deploy that adds one revision lints one file. A
 * revision that cannot be loaded on its own here is checked by its text only; loading it for the
 * upgrade reports why it fails.
 */
async function renderedFindings(project: Project, id: string): Promise<LintFinding[]> {
  const file = project.revision(id).source;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return [];
  }
  const key = createHash('sha1')
    .update(JSON.stringify([CACHE_VERSION, file, st.size, st.mtimeMs, knownSchemas(project), project.config.suRoleName ?? null]))
    .digest('hex');
  const cacheFile = path.join(cacheDirOf(project.config), 'lint', `${key}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as unknown;
    if (Array.isArray(cached)) return cached as LintFinding[];
  } catch {
    // not cached yet
  }
  const { lintRevisions } = require('./lint') as typeof import('./lint');
  let found: LintFinding[];
  try {
    found = (await lintRevisions(project, [id])).findings.filter((f) => f.rule !== 'render-failed');
  } catch {
    return sourceFindings(project, id);
  }
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(found));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A cache that cannot be written only costs the next run the same lint.
  }
  return found;
}

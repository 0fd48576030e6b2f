import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirOf, type Project } from './project';

/**
 * Lint warnings for the revisions an upgrade is about to apply, one line each. Results are cached
 * beside the compiled revisions, keyed by the files' names, sizes and modification times, so a
 * fleet (or a second run) lints each set of pending revisions once.
 */
export async function pendingLintLines(project: Project, ids: readonly string[], cwd: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const key = createHash('sha1')
    .update(
      ids
        .map((id) => {
          const file = project.revision(id).source;
          const st = fs.statSync(file);
          return `${file}:${st.size}:${st.mtimeMs}`;
        })
        .join('\n'),
    )
    .digest('hex');
  const cacheFile = path.join(cacheDirOf(project.config), 'lint', `${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as string[];
  } catch {
    // not linted yet
  }
  const { lintRevisions, formatFinding } = require('./lint') as typeof import('./lint');
  const report = await lintRevisions(project, ids);
  const lines = report.findings.filter((f) => (f.rule as string) !== 'render-failed').map((f) => formatFinding(f, cwd));
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lines));
  fs.renameSync(tmp, cacheFile);
  return lines;
}

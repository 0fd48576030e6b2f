import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirOf, type Project } from './project';

/**
 * Lint warnings for revisions an upgrade is about to apply, one line each, cached per revision
 * file (name, size, modification time) beside the compiled revisions: a deploy that adds one
 * revision lints one file.
 */
export async function pendingLintLines(project: Project, ids: readonly string[], cwd: string): Promise<string[]> {
  const lines: string[] = [];
  for (const id of ids) {
    const file = project.revision(id).source;
    const st = fs.statSync(file);
    const key = createHash('sha1').update(`${file}:${st.size}:${st.mtimeMs}`).digest('hex');
    const cacheFile = path.join(cacheDirOf(project.config), 'lint', `${key}.json`);
    let found: string[] | undefined;
    try {
      found = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as string[];
    } catch {
      const { lintRevisions, formatFinding } = require('./lint') as typeof import('./lint');
      const report = await lintRevisions(project, [id]);
      found = report.findings.filter((f) => (f.rule as string) !== 'render-failed').map((f) => formatFinding(f, cwd));
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(found));
      fs.renameSync(tmp, cacheFile);
    }
    lines.push(...found);
  }
  return lines;
}

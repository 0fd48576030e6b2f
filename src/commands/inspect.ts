import type { Target } from '../config/target';
import type { Revision } from '../graph/revision';
import { withTarget } from '../target/open-target';
import { targetName } from '../target/target-name';
import type { Output } from './output';
import type { Project } from './project';
import { readingTarget } from './target-options';

/** A revision as `heads`, `history`, `show` and `current -v` report it. */
export interface RevisionInfo {
  readonly id: string;
  readonly downRevisions: readonly string[];
  readonly message: string;
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly isHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  readonly children: readonly string[];
  readonly path: string | undefined;
}

export function revisionInfo(project: Project, r: Revision): RevisionInfo {
  const children = project.graph.childrenOf(r.id);
  return {
    id: r.id,
    downRevisions: r.downRevisions,
    message: r.message,
    branchLabels: r.branchLabels,
    dependsOn: r.dependsOn,
    isHead: children.length === 0,
    isBranchPoint: children.length > 1,
    isMergePoint: r.downRevisions.length > 1,
    children,
    path: r.source,
  };
}

/** Alembic's one-line form: `522eed334c85 -> 7a3b9c0d1e2f (head), add name column`. */
export function formatRevisionLine(info: RevisionInfo): string {
  const down = info.downRevisions.length > 0 ? info.downRevisions.join(', ') : '<base>';
  const tags = [
    ...(info.isHead ? ['head'] : []),
    ...(info.isBranchPoint ? ['branchpoint'] : []),
    ...(info.isMergePoint ? ['mergepoint'] : []),
    ...info.branchLabels.map((b) => `label: ${b}`),
  ];
  return `${down} -> ${info.id}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}, ${info.message || 'no message'}`;
}

/** The multi-line form of `show` and `-v`. */
export function formatRevisionDetail(info: RevisionInfo): string {
  const lines = [
    `Rev: ${info.id}${info.isHead ? ' (head)' : ''}${info.isBranchPoint ? ' (branchpoint)' : ''}${info.isMergePoint ? ' (mergepoint)' : ''}`,
    `Parent: ${info.downRevisions.join(', ') || '<base>'}`,
  ];
  if (info.children.length > 0) lines.push(`${info.isBranchPoint ? 'Branches into' : 'Child'}: ${info.children.join(', ')}`);
  if (info.branchLabels.length > 0) lines.push(`Branch names: ${info.branchLabels.join(', ')}`);
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${info.dependsOn.join(', ')}`);
  if (info.path) lines.push(`Path: ${info.path}`);
  lines.push('', `    ${info.message || '(no message)'}`);
  return lines.join('\n');
}

/** `current`: the heads stored in the target's version table. */
export async function current(options: {
  project: Project;
  target: Target;
  lockTimeoutMs: number;
  output: Output;
}): Promise<{ target: string; heads: readonly RevisionInfo[]; unknown: readonly string[]; versionTable: boolean; schemaExists: boolean }> {
  const { project, target } = options;
  const seen = await withTarget(target, readingTarget(project), async (open) => ({
    heads: open.versionTableExists ? open.heads : undefined,
    schemaExists: open.schemaExists,
  }));
  const heads = seen.heads ?? [];
  const known = heads.map((h) => project.graph.get(h)).filter((r): r is Revision => r !== undefined);
  return {
    target: targetName(target),
    heads: known.map((r) => revisionInfo(project, r)),
    unknown: heads.filter((h) => !project.graph.get(h)),
    versionTable: seen.heads !== undefined,
    schemaExists: seen.schemaExists,
  };
}

/** `history [-r lower:upper]`: newest first. */
export function history(project: Project, range?: string): RevisionInfo[] {
  let lower: string | undefined;
  let upper: string | undefined;
  if (range) {
    const i = range.indexOf(':');
    if (i === -1) {
      lower = range;
    } else {
      lower = range.slice(0, i) || undefined;
      upper = range.slice(i + 1) || undefined;
    }
  }
  return project.graph.walk(upper, lower).map((r) => revisionInfo(project, r));
}

export function heads(project: Project): RevisionInfo[] {
  return project.graph.heads.map((id) => revisionInfo(project, project.graph.get(id)!));
}

export function branches(project: Project): RevisionInfo[] {
  return project.graph.branchPoints.map((id) => revisionInfo(project, project.graph.get(id)!));
}

export function show(project: Project, argument: string): RevisionInfo[] {
  return project.graph.resolve(argument).map((id) => revisionInfo(project, project.graph.get(id)!));
}

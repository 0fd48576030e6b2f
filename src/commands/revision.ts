import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ScriptError } from '../errors';
import { PACKAGE_NAME } from '../package-info';
import { renderRevisionFile, slugify } from '../scripts/revision-template';
import type { Project } from './project';

export interface NewRevisionOptions {
  readonly project: Project;
  readonly message: string;
  readonly revId?: string | undefined;
  /** The parent: `head` by default; with several heads, name one. */
  readonly head?: string | undefined;
  /** Allow `head` to be a revision that already has children (starts a branch). */
  readonly splice?: boolean | undefined;
  readonly branchLabel?: string | undefined;
  readonly dependsOn?: readonly string[] | undefined;
  /** For merges: several parents at once. */
  readonly parents?: readonly string[] | undefined;
  readonly upgradeBody?: string;
  readonly downgradeBody?: string;
  readonly now?: Date;
}

/** A fresh 12-hex-digit id, Alembic's format. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/** Where new files import `MigrationContext` from: this repository's source, or the installed package. */
function contextImport(project: Project): string {
  const own = path.join(packageRoot(), 'src', 'runtime', 'context.ts');
  if (fs.existsSync(own) && own.startsWith(path.dirname(project.config.scriptLocation) + path.sep)) {
    return path.relative(project.config.scriptLocation, own).replace(/\\/g, '/').replace(/\.ts$/, '');
  }
  return PACKAGE_NAME;
}

/** Retort's own folder: the nearest one above this code (dist/commands/ or the dist/ bundle) holding package.json. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * `revision -m msg`: writes `<id>_<slug>.ts` into script_location from the template, whose
 * examples show the schema-parameterised form. Returns the file written.
 */
export function createRevision(options: NewRevisionOptions): { id: string; path: string; downRevisions: readonly string[] } {
  const { project } = options;
  const id = options.revId ?? newRevisionId();
  if (!/^[A-Za-z0-9_]{1,32}$/.test(id))
    throw new ConfigError('BAD_REV_ID', `--rev-id ${JSON.stringify(id)} must be letters, digits or _ (at most 32). Choose another id.`);
  if (project.graph.get(id))
    throw new ConfigError('DUPLICATE_REV_ID', `Revision ${id} already exists (${project.graph.get(id)!.source}). Choose another --rev-id.`);
  let parents: readonly string[];
  if (options.parents) {
    parents = options.parents;
  } else {
    const head = options.head ?? 'head';
    parents = head === 'base' ? [] : project.graph.resolve(head);
    for (const p of parents) {
      if (!options.splice && project.graph.childrenOf(p).length > 0) {
        throw new ConfigError(
          'NOT_A_HEAD',
          `Revision ${p} is not a head: a new revision on it starts a branch. Pass --splice to do that on purpose, or use --head head.`,
        );
      }
    }
  }
  const file = path.join(project.config.scriptLocation, `${id}_${slugify(options.message)}.ts`);
  const text = renderRevisionFile({
    id,
    downRevisions: parents,
    message: options.message,
    createdAt: options.now ?? new Date(),
    contextImport: contextImport(project),
    ...(options.branchLabel ? { branchLabels: [options.branchLabel] } : {}),
    ...(options.dependsOn && options.dependsOn.length > 0 ? { dependsOn: options.dependsOn } : {}),
    ...(options.upgradeBody !== undefined ? { upgradeBody: options.upgradeBody } : {}),
    ...(options.downgradeBody !== undefined ? { downgradeBody: options.downgradeBody } : {}),
  });
  try {
    fs.mkdirSync(project.config.scriptLocation, { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (cause) {
    throw new ScriptError('WRITE_FAILED', `Cannot write ${file}: ${(cause as Error).message}.`, { cause });
  }
  return { id, path: file, downRevisions: parents };
}

/** `merge`: a revision whose parents are the given revisions (default: all heads). */
export function createMerge(options: { project: Project; message: string; revisions?: readonly string[]; revId?: string }): ReturnType<typeof createRevision> {
  const { project } = options;
  const parents = options.revisions && options.revisions.length > 0 ? options.revisions.flatMap((r) => project.graph.resolve(r)) : project.graph.mergeParents();
  if (parents.length < 2) throw new ConfigError('NOTHING_TO_MERGE', `Merging needs two or more revisions; got ${parents.join(', ') || 'none'}.`);
  return createRevision({
    project,
    message: options.message,
    revId: options.revId,
    parents,
    upgradeBody: '  // A merge point: nothing to do.',
    downgradeBody: '  // A merge point: nothing to do.',
  });
}

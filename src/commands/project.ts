import type { RetortConfig } from '../config/config';
import { ScriptError } from '../errors';
import { RevisionGraph } from '../graph';
import { alembicFilesIn, MOVING_FROM_ALEMBIC } from '../scripts/alembic-folder';
import { loadRevisions, type LoadedRevision, type RevisionSet } from '../scripts/load-revisions';
import { projectCacheDir } from '../scripts/project-cache';

/** The revisions of a project, loaded and validated as a graph. */
export interface Project {
  readonly config: RetortConfig;
  readonly scripts: RevisionSet;
  readonly graph: RevisionGraph;
  revision(id: string): LoadedRevision;
  /** Things the user should know about the project that do not stop a command (printed once). */
  readonly warnings: readonly string[];
}

/** Where compiled revisions are cached: the project's folder in the per-user cache (see {@link projectCacheDir}). */
export function cacheDirOf(config: RetortConfig): string {
  return projectCacheDir(config.dir);
}

/**
 * Loads `script_location` and builds the revision graph. Fails, naming the file, on a revision
 * that does not compile or load, a duplicate id, a missing down revision or a cycle; and on a
 * folder that holds only Alembic's own (Python) revisions, which Retort does not run.
 */
export async function loadProject(config: RetortConfig): Promise<Project> {
  const scripts = await loadRevisions({ dir: config.scriptLocation, cacheDir: cacheDirOf(config) });
  const alembic = alembicFilesIn(config.scriptLocation);
  const warnings: string[] = [];
  if (alembic.revisions > 0 || alembic.envPy) {
    const what = alembic.revisions > 0 ? `${alembic.revisions} Alembic revision file${alembic.revisions === 1 ? '' : 's'} (.py)` : "Alembic's env.py";
    if (scripts.revisions.length === 0) {
      throw new ScriptError(
        'ALEMBIC_SCRIPT_FOLDER',
        `${config.scriptLocation} holds ${what} and no Retort revision: Retort runs TypeScript or JavaScript revisions, not Alembic's. Point script_location in ${config.path} at a folder of Retort revisions (e.g. revisions/), keep this one as Alembic's history, and start with a baseline: see ${MOVING_FROM_ALEMBIC}.`,
      );
    }
    warnings.push(`${config.scriptLocation} also holds ${what}, which Retort does not run (see ${MOVING_FROM_ALEMBIC}).`);
  }
  const graph = RevisionGraph.build(scripts.revisions);
  const byId = new Map(scripts.revisions.map((r) => [r.id, r]));
  return {
    config,
    scripts,
    graph,
    revision: (id) => byId.get(id)!,
    warnings,
  };
}

import * as path from 'node:path';
import type { RetortConfig } from '../config/config';
import { RevisionGraph } from '../graph';
import { loadRevisions, type LoadedRevision, type RevisionSet } from '../scripts/load-revisions';

/** The revisions of a project, loaded and validated as a graph. */
export interface Project {
  readonly config: RetortConfig;
  readonly scripts: RevisionSet;
  readonly graph: RevisionGraph;
  revision(id: string): LoadedRevision;
}

/** Where compiled revisions are cached: `.retort/cache` beside alembic.ini. */
export function cacheDirOf(config: RetortConfig): string {
  return path.join(config.dir, '.retort', 'cache');
}

/**
 * Loads `script_location` and builds the revision graph. Fails, naming the file, on a revision
 * that does not compile or load, a duplicate id, a missing down revision or a cycle.
 */
export async function loadProject(config: RetortConfig): Promise<Project> {
  const scripts = await loadRevisions({ dir: config.scriptLocation, cacheDir: cacheDirOf(config) });
  const graph = RevisionGraph.build(scripts.revisions);
  const byId = new Map(scripts.revisions.map((r) => [r.id, r]));
  return {
    config,
    scripts,
    graph,
    revision: (id) => byId.get(id)!,
  };
}

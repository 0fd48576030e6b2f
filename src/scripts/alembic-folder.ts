import * as fs from 'node:fs';
import * as path from 'node:path';

/** What an Alembic script folder holds, as far as Retort cares. */
export interface AlembicFiles {
  /** The folder has Alembic's `env.py`. */
  readonly envPy: boolean;
  /** Alembic revision files (`.py`) in the folder and in its `versions/` subfolder. */
  readonly revisions: number;
}

/**
 * Looks for Alembic's own files in a revisions folder: an `env.py`, and `.py` revision files
 * directly in it or in `versions/` (Alembic's layout, `script_location = alembic` with
 * `alembic/versions/*.py`). Retort runs TypeScript and JavaScript revisions only, so such files
 * must be reported, never silently skipped.
 *
 * @example
 * ```ts
 * alembicFilesIn('/srv/app/alembic') // { envPy: true, revisions: 29 }
 * ```
 */
export function alembicFilesIn(dir: string): AlembicFiles {
  const py = (folder: string) => {
    try {
      return fs.readdirSync(folder).filter((n) => n.endsWith('.py') && n !== 'env.py' && n !== '__init__.py' && !n.startsWith('.'));
    } catch {
      return [];
    }
  };
  return {
    envPy: fs.existsSync(path.join(dir, 'env.py')),
    revisions: py(dir).length + py(path.join(dir, 'versions')).length,
  };
}

/** The README section that explains how to carry on from an Alembic project. */
export const MOVING_FROM_ALEMBIC = 'README "Moving from Alembic"';

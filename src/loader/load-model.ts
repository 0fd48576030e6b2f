import * as fs from 'node:fs';
import type { RetortConfig } from '../config/config';
import { ScriptError } from '../errors';
import type { AnyModel } from '../model/model';
import { compileModule, evaluateModule } from './compile-module';

/** A model and where it came from, for messages. */
export interface LoadedModel {
  readonly model: AnyModel;
  /** The absolute path of the module. */
  readonly source: string;
}

/**
 * The project's model, which `setup`, `check`, `revision --autogenerate` and `status --drift`
 * compare with: the module named by `[alembic] model` in alembic.ini (relative to the ini's
 * folder; it must export `model`). A TypeScript module is bundled in memory (its own relative
 * imports included, packages left to `require`), so a model may span several files. A project
 * without one gets an error that says how to get one: Retort has no model of its own to fall
 * back on.
 *
 * @example
 * ```ts
 * await loadModel(config) // { model, source: '/srv/app/model/index.ts' }
 * ```
 * @throws ScriptError `NO_MODEL`, `MODEL_NOT_FOUND`, `MODEL_SYNTAX`, `MODEL_LOAD_FAILED` or `BAD_MODEL`, naming the file.
 */
export async function loadModel(config: RetortConfig): Promise<LoadedModel> {
  const file = config.model;
  if (!file) {
    throw new ScriptError(
      'NO_MODEL',
      `No model is configured in ${config.path}. Add "model = <module>" to its [alembic] section (a module that exports model = defineModel(...)), or write one from a live schema with "migrate -x db=<label> pull -o model/index.ts".`,
    );
  }
  if (!fs.existsSync(file)) {
    throw new ScriptError('MODEL_NOT_FOUND', `The model module ${file} (model in ${config.path}) does not exist. Fix the path, relative to ${config.dir}.`);
  }
  const { code } = await compileModule({ kind: 'model', file, bundle: true, sourceMap: true });
  const model = evaluateModule({ kind: 'model', file, code }).model;
  if (!isModel(model)) {
    throw new ScriptError('BAD_MODEL', `${file} does not export a model: write "export const model = defineModel({ tables: [...] })".`);
  }
  return { model, source: file };
}

function isModel(value: unknown): value is AnyModel {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return ['tables', 'views', 'materializedViews', 'enums', 'sequences', 'functions', 'triggers', 'grants'].every((k) => Array.isArray(m[k]));
}

import { autogenerateRevision, baselineRevision, compareModel, describeDrift, targetServerVersion, type GeneratedRevision } from '../commands/autogenerate';
import { diffSchemas, type DiffSchemasResult } from '../commands/diff';
import { pullFromTarget, type PullResult } from '../commands/pull';
import { describeUrl } from '../config/dsn';
import { resolveDatabases, resolveSchemas } from '../config/target';
import type { RenameHint } from '../diff/renames';
import { ConfigError } from '../errors';
import { loadModel } from '../loader/load-model';
import type { Operation } from '../operations/operation';
import { PACKAGE_NAME } from '../package-info';
import { lockTimeoutOf, oneTarget, openProject, type Opened, type TargetOptions } from './options';

/** Options of {@link check} and {@link autogenerate}: the target, and how the model is compared with it. */
export interface CompareModelOptions extends TargetOptions {
  /** Rename hints: `table:old=new`, `column:table.old=new`. */
  readonly renames?: readonly (string | RenameHint)[];
  /** Where the model is built (default `[alembic] dev_url`, else the embedded PostgreSQL). */
  readonly devUrl?: string;
}

/** What {@link check} found. */
export interface CheckResult {
  readonly target: string;
  /** The target's heads when it was compared. */
  readonly heads: readonly string[];
  /** True when the schema matches the model. */
  readonly matches: boolean;
  /** The operations that would make the schema match the model (empty when it does). */
  readonly operations: readonly Operation[];
  /** Those operations as SQL for the target's schema ('' when it matches). */
  readonly sql: string;
}

/**
 * Compares the project's model (`[alembic] model`) with a target schema (`migrate check`). The
 * model is built in a scratch schema of the dev database; the target only sees catalog reads.
 *
 * @example
 * ```ts
 * const r = await check({ cwd: '/srv/app', db: 'prod', schema: 'app' });
 * if (!r.matches) console.log(r.sql); // ALTER TABLE "app"."station" ADD COLUMN ...
 * ```
 */
export async function check(options: CompareModelOptions = {}): Promise<CheckResult> {
  const opened = await openProject(options);
  const target = oneTarget(opened, options, 'check');
  const { model } = await loadModel(opened.config);
  const r = await compareModel({
    project: opened.project,
    target,
    model,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
    devUrl: options.devUrl,
    ...(options.renames ? { renames: options.renames } : {}),
  });
  return { target: r.target, heads: r.heads, matches: r.operations.length === 0, operations: r.operations, sql: describeDrift(r, target.schema) };
}

/** Options of {@link autogenerate}. */
export interface AutogenerateOptions extends CompareModelOptions {
  /** What the revision does (its message). */
  readonly message: string;
  /** The new revision's id (default: a random one). */
  readonly revId?: string;
  /**
   * Write the first revision, which builds the whole model from an empty schema, whatever any
   * database holds (`revision --autogenerate --baseline`). A named db or url only sets the major
   * version the dev database must run.
   */
  readonly baseline?: boolean;
}

/**
 * Writes a revision whose upgrade turns the target (at head) into the model, and whose downgrade
 * turns it back (`migrate revision --autogenerate`). Nothing changed: no file, `path` undefined.
 *
 * @example
 * ```ts
 * const r = await autogenerate({ cwd: '/srv/app', db: 'dev', message: 'add station name' });
 * r.path;     // '/srv/app/revisions/3f2a..._add_station_name.ts'
 * r.detected; // ["Detected added column 'station.name'"]
 * ```
 */
export async function autogenerate(options: AutogenerateOptions): Promise<GeneratedRevision> {
  const opened = await openProject(options);
  const { model } = await loadModel(opened.config);
  if (options.baseline) return baseline(opened, options, model);
  return autogenerateRevision({
    project: opened.project,
    target: oneTarget(opened, options, 'autogenerate'),
    model,
    message: options.message,
    revId: options.revId,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
    devUrl: options.devUrl,
    ...(options.renames ? { renames: options.renames } : {}),
  });
}

async function baseline(opened: Opened, options: AutogenerateOptions, model: Awaited<ReturnType<typeof loadModel>>['model']): Promise<GeneratedRevision> {
  const named = options.db !== undefined || options.url !== undefined;
  const target = named ? oneTarget(opened, options, 'autogenerate') : undefined;
  return baselineRevision({
    project: opened.project,
    model,
    message: options.message,
    revId: options.revId,
    suRole: target?.suRole ?? options.suRole ?? opened.config.suRoleName,
    devUrl: options.devUrl,
    targetVersion: target ? await targetServerVersion(opened.project, target) : undefined,
    output: opened.output,
  });
}

/**
 * Reads a target schema's catalog and returns it as a schema-agnostic model module
 * (`migrate pull`). Writes nothing, to the database or to disk: `source` is the module's text.
 *
 * @example
 * ```ts
 * const r = await pull({ cwd: '/srv/app', db: 'prod', schema: 'app' });
 * fs.writeFileSync('model/index.ts', r.source); // r.counts.tables === 18
 * ```
 */
export async function pull(options: TargetOptions = {}): Promise<PullResult & { readonly target: string }> {
  const opened = await openProject(options);
  return pullFromTarget({
    target: oneTarget(opened, options, 'pull'),
    baseDir: opened.config.dir,
    versionTable: opened.config.versionTable,
    lockTimeoutMs: lockTimeoutOf(options),
    output: opened.output,
    importFrom: PACKAGE_NAME,
  });
}

/** One side of {@link diff}: a label or URL, and a schema (default: the project's schema). */
export interface DiffEndpoint {
  readonly db?: string;
  readonly url?: string;
  readonly schema?: string;
}

/** Options of {@link diff}. */
export interface DiffOptions extends Omit<TargetOptions, 'db' | 'url' | 'schema' | 'suRole' | 'lockTimeoutMs'> {
  /** The schema as it is (the SQL is written to run against it). */
  readonly from: DiffEndpoint;
  /** The schema as it should be. */
  readonly to: DiffEndpoint;
  readonly renames?: readonly (string | RenameHint)[];
}

/**
 * The operations that turn one live schema into another, in the same or different databases
 * (`migrate diff --from --to`), and their SQL for `from`'s schema. Reads catalogs only.
 *
 * @example
 * ```ts
 * const r = await diff({ cwd: '/srv/app', from: { db: 'prod', schema: 'app' }, to: { db: 'dev', schema: 'app' } });
 * r.operations.length; // 0 when they match
 * ```
 */
export async function diff(options: DiffOptions): Promise<DiffSchemasResult> {
  const opened = await openProject(options);
  const [from, to] = [options.from, options.to].map((side) => {
    const input = {
      config: opened.config,
      x: [...(side.db !== undefined ? [`db=${side.db}`] : []), ...(side.schema !== undefined ? [`schema=${side.schema}`] : [])],
      url: side.url,
      env: opened.env,
    };
    const dbs = resolveDatabases(input);
    const schemas = resolveSchemas(input);
    if (dbs.length !== 1 || schemas.length !== 1) {
      throw new ConfigError('ONE_TARGET', 'Each side of diff is one database and one schema: name one db (or url) and one schema.');
    }
    const schema = schemas[0]!;
    return { url: dbs[0]!.url, schema, name: `${dbs[0]!.label ?? describeUrl(dbs[0]!.url)}:${schema}` };
  });
  return diffSchemas({ from: from!, to: to!, baseDir: opened.config.dir, env: opened.env, ...(options.renames ? { renames: options.renames } : {}) });
}

import { sql } from 'kysely';
import { readSnapshot } from '../catalog/read-snapshot';
import type { Target } from '../config/target';
import { diffSnapshots } from '../diff/diff-snapshots';
import { missingOutsideObjects } from '../catalog/missing-outside-objects';
import { outsideReferences } from '../operations/outside-references';
import type { RenameHint } from '../diff/renames';
import { openDevDatabase, readDefaultPrivileges, type DefaultPrivilege, type Scratch } from '../devdb/dev-database';
import { normalizeDefinitions } from '../devdb/normalize-definitions';
import { textualDifferences } from '../diff/definition-differences';
import { DatabaseError, RetortError, ScriptError } from '../errors';
import { createAll } from '../model/create-all';
import { modelOperations } from '../model/model-statements';
import { assertServerSupports } from '../diff/version-requirements';
import type { AnyModel } from '../model/model';
import type { Operation } from '../operations/operation';
import { renderRevisionSource } from '../render/render-revision-source';
import { describeOperations } from '../render/describe-operation';
import { renderSql } from '../render/render-sql';
import { silenceGeneratedWarnings } from './generated-lint';
import { emptySnapshot, READER_ROLE, type Grants, type Snapshot } from '../schema/snapshot';
import { withTarget } from '../target/open-target';
import { databaseName, targetName } from '../target/target-name';
import type { Output } from './output';
import { checkKnownHeads } from './preflight';
import type { Project } from './project';
import { readingTarget } from './target-options';
import { createRevision } from './revision';

export interface CompareOptions {
  readonly project: Project;
  readonly target: Target;
  readonly model: AnyModel;
  readonly renames?: readonly (string | RenameHint)[];
  readonly lockTimeoutMs: number;
  readonly output: Output;
  /** Refuse unless the target is at the graph's head(s) (autogenerate needs that; check does not). */
  readonly requireHead?: boolean;
  /** The dev database (`--dev-url`); default `[alembic] dev_url`, else the embedded PostgreSQL. */
  readonly devUrl?: string | undefined;
}

export interface CompareResult {
  readonly target: string;
  readonly heads: readonly string[];
  /** Operations that turn the database's schema into the model. */
  readonly operations: Operation[];
  /** The SU role privileged operations run as (their SQL is wrapped in SET ROLE). */
  readonly suRole: string | undefined;
}

/**
 * Compares the model with a target schema. The target only ever sees catalog reads (its heads,
 * its snapshot, its default privileges and its server version); the model is built in a scratch
 * schema of the dev database ({@link openDevDatabase}: `dev_url`, else the embedded PostgreSQL)
 * and read back there. Snapshots carry no schema name, so the scratch schema's objects compare
 * equal to the target's.
 */
export async function compareModel(options: CompareOptions): Promise<CompareResult> {
  const { project, target } = options;
  return withTarget(target, readingTarget(project), async (session) => {
    if (!session.schemaExists) {
      throw new DatabaseError('NO_SCHEMA', `Schema "${target.schema}" does not exist in ${targetName(target)}. Create it and upgrade it to head first.`);
    }
    checkKnownHeads(project, session);
    if (options.requireHead) {
      const heads = [...project.graph.heads].sort();
      const at = [...session.heads].sort();
      if (heads.join(',') !== at.join(',')) {
        throw new DatabaseError(
          'NOT_AT_HEAD',
          `${targetName(target)} is at ${at.join(', ') || '<base>'}, not at head ${heads.join(', ') || '<base>'}: autogenerate compares the model with a database at head. Run "migrate upgrade head" on it first.`,
        );
      }
    }
    const version = (await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(session.db)).rows[0]!.v;
    const current = await readSnapshot(session.db, target.schema);
    const defaultPrivileges = await readDefaultPrivileges(session.db, target.schema);
    const operations = await buildInDevDatabase(
      options.model,
      {
        devUrl: options.devUrl ?? project.config.devUrl,
        baseDir: project.config.dir,
        targetVersion: version,
        suRole: target.suRole,
        roles: rolesOf(current),
        defaultPrivileges,
        log: (line) => options.output.warn(line),
      },
      async ({ wanted, scratch }) => {
        // Texts PostgreSQL does not print as a fixpoint (views over an IN list) are compared in
        // the normal form the dev database gives them, so a change applied once leaves nothing.
        const differences = textualDifferences(current, wanted);
        const normalize = differences.length > 0 ? await normalizeDefinitions(scratch.db, scratch.schema, differences) : undefined;
        return diffSnapshots(current, wanted, {
          ...(options.renames ? { renames: options.renames } : {}),
          ...(normalize ? { normalize } : {}),
          ...(target.suRole ? { suRole: target.suRole } : {}),
        });
      },
    );
    // What the changes need from other schemas must be there, or applying them fails half way.
    const missing = await missingOutsideObjects(session.db, outsideReferences(operations));
    if (missing.length > 0) {
      const names = missing.map((m) => `${m.kind} ${m.schema}${m.name === null ? '' : `.${m.name}`}`).join(', ');
      throw new DatabaseError(
        'OUTSIDE_OBJECT_MISSING',
        `The model needs ${names}, which ${databaseName(target)} does not have (outside schema "${target.schema}"). Create ${missing.length === 1 ? 'it' : 'them'} there first (another schema's revisions, or db init for extensions), or change the model.`,
      );
    }
    return { target: targetName(target), heads: session.heads, operations, suRole: target.suRole };
  });
}

/**
 * Builds a model in a scratch schema of the dev database, reads it back (the model as the
 * server spells it) and hands both to `use` while the scratch schema still exists.
 */
export async function buildInDevDatabase<T>(
  model: AnyModel,
  options: {
    readonly devUrl: string | undefined;
    readonly baseDir: string;
    readonly targetVersion?: number;
    readonly suRole: string | undefined;
    readonly roles?: readonly string[];
    readonly defaultPrivileges?: readonly DefaultPrivilege[];
    readonly log?: (line: string) => void;
  },
  use: (built: { readonly wanted: Snapshot; readonly scratch: Scratch }) => Promise<T>,
): Promise<T> {
  // A model that uses what the target's major lacks is refused by name, before the dev database builds it.
  if (options.targetVersion !== undefined) assertServerSupports(modelOperations(model), options.targetVersion, 'the target');
  const dev = await openDevDatabase({
    url: options.devUrl,
    baseDir: options.baseDir,
    targetVersion: options.targetVersion,
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    const roles = [...(options.roles ?? []), ...model.grants.map((g) => g.to)];
    return await dev.withScratchSchema(
      async ({ db, schema }) => {
        try {
          await createAll(model, { db, schema, ...(options.suRole ? { suRole: options.suRole } : {}) });
        } catch (error) {
          if (error instanceof RetortError && error.code === 'CREATE_ALL_FAILED') {
            throw new RetortError(
              'MODEL_BUILD_FAILED',
              `${error.message.replace(/\.$/, '')} (building the model in the ${dev.description}). Fix the model, or set dev_url to a server that has what it needs.`,
              { cause: error },
            );
          }
          throw error;
        }
        return use({ wanted: await readSnapshot(db, schema), scratch: { db, schema } });
      },
      { suRole: options.suRole, roles, ...(options.defaultPrivileges ? { defaultPrivileges: options.defaultPrivileges } : {}) },
    );
  } finally {
    await dev.close();
  }
}

/** The roles a snapshot names (grantees, policy roles, owners), for the dev database to have. */
function rolesOf(snapshot: Snapshot): string[] {
  const out = new Set<string>();
  const add = (role: string | null) => {
    if (role !== null && role !== 'PUBLIC' && role !== READER_ROLE) out.add(role);
  };
  const grants = (g: Grants) => [...g.granted, ...g.revoked].forEach((x) => add(x.grantee));
  for (const t of snapshot.tables) for (const c of t.columns) grants(c.grants);
  for (const list of [snapshot.tables, snapshot.views, snapshot.sequences, snapshot.routines, snapshot.enums, snapshot.domains]) {
    for (const o of list) {
      grants(o.grants);
      add(o.owner);
    }
  }
  for (const p of snapshot.policies) p.roles.forEach(add);
  return [...out].sort();
}

/** `check`: the differences between the model and the database, as SQL for review (empty when none). */
export function describeDrift(result: CompareResult, schema: string): string {
  return result.operations.length === 0 ? '' : renderSql(result.operations, { schema, ...(result.suRole ? { suRole: result.suRole } : {}) });
}

/**
 * `revision --autogenerate`: the database must be at head; the new revision's upgrade turns it
 * into the model and its downgrade (each operation's reverse) turns it back. Every DDL is written
 * against `ctx.schema`.
 */
/** What `revision --autogenerate` (and `--baseline`) found and wrote. */
export interface GeneratedRevision {
  /** The new revision's id and file; undefined when nothing changed (no file is written). */
  readonly id: string | undefined;
  readonly path: string | undefined;
  /** One line per change, in Alembic's words: `Detected added column 'station.name'`. */
  readonly detected: readonly string[];
  readonly operations: number;
  readonly review: number;
  readonly destructive: number;
  /** Lint rules the revision trips that were silenced in it, with their reasons. */
  readonly silenced: readonly string[];
}

/**
 * `revision --autogenerate`: the database must be at head; the new revision's upgrade turns it
 * into the model and its downgrade (each operation's reverse) turns it back. Every DDL is written
 * against `ctx.schema`. Nothing changed: no file. The file passes `migrate lint`: what it does
 * that a rule warns about is silenced in it with the reason and the safer form.
 */
export async function autogenerateRevision(options: CompareOptions & { message: string; revId?: string | undefined }): Promise<GeneratedRevision> {
  const result = await compareModel({ ...options, requireHead: true });
  return writeGenerated(options.project, result.operations, { message: options.message, revId: options.revId, suRole: options.target.suRole });
}

async function writeGenerated(
  project: Project,
  operations: readonly Operation[],
  options: { message: string; revId: string | undefined; suRole: string | undefined; head?: string; always?: boolean },
): Promise<GeneratedRevision> {
  const detected = describeOperations(operations);
  const counts = {
    operations: operations.length,
    review: operations.filter((o) => o.review).length,
    destructive: operations.filter((o) => o.destructive).length,
  };
  if (operations.length === 0 && !options.always) return { id: undefined, path: undefined, detected, ...counts, silenced: [] };
  const source = renderRevisionSource(operations);
  const file = createRevision({
    project,
    message: options.message,
    revId: options.revId,
    ...(options.head ? { head: options.head } : {}),
    upgradeBody: source.upgrade,
    downgradeBody: source.downgrade,
  });
  const knownSchemas = [...new Set([project.config.schemaName ?? 'public', 'public'])];
  const silenced = await silenceGeneratedWarnings(file.path, knownSchemas, options.suRole);
  return { id: file.id, path: file.path, detected, ...counts, silenced };
}

export interface BaselineOptions {
  readonly project: Project;
  readonly model: AnyModel;
  readonly message: string;
  /** The id to write: the Alembic head's id carries on where Alembic left off. */
  readonly revId?: string | undefined;
  readonly suRole: string | undefined;
  /** The dev database (`--dev-url`); default `[alembic] dev_url`, else the embedded PostgreSQL. */
  readonly devUrl?: string | undefined;
  /** `server_version_num` of a database the baseline is for, when one is named. */
  readonly targetVersion?: number | undefined;
  readonly output: Output;
}

/**
 * `revision --autogenerate --baseline`: the revision that builds the whole model from an empty
 * schema (`downRevision = null`), whatever state any database is in. Written with the id of the
 * revision Alembic last applied (`--rev-id`), it makes every database Alembic brought there
 * stand at Retort's head at once: no stamp, `upgrade head` has nothing to do.
 */
export async function baselineRevision(options: BaselineOptions): Promise<GeneratedRevision> {
  const { project } = options;
  const existing = project.scripts.revisions.length;
  if (existing > 0) {
    throw new ScriptError(
      'BASELINE_NOT_FIRST',
      `A baseline starts the history, and ${project.config.scriptLocation} already holds ${existing} revision${existing === 1 ? '' : 's'}. Write the baseline into an empty script_location (see README "Moving from Alembic"), or use revision --autogenerate without --baseline.`,
    );
  }
  const wanted = await buildInDevDatabase(
    options.model,
    {
      devUrl: options.devUrl ?? project.config.devUrl,
      baseDir: project.config.dir,
      targetVersion: options.targetVersion,
      suRole: options.suRole,
      log: (line) => options.output.warn(line),
    },
    async (built) => built.wanted,
  );
  const operations = diffSnapshots(emptySnapshot, wanted, options.suRole ? { suRole: options.suRole } : {});
  return writeGenerated(project, operations, { message: options.message, revId: options.revId, suRole: options.suRole, head: 'base', always: true });
}

/** The server version of a target, for the dev database's version check. */
export async function targetServerVersion(project: Project, target: Target): Promise<number> {
  return withTarget(
    target,
    readingTarget(project),
    async (session) => (await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(session.db)).rows[0]!.v,
  );
}

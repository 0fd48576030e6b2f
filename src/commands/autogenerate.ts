import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { readSnapshot } from '../catalog/read-snapshot';
import type { Target } from '../config/target';
import { diffSnapshots } from '../diff/diff-snapshots';
import type { RenameHint } from '../diff/renames';
import { DatabaseError } from '../errors';
import { createAll } from '../model/create-all';
import type { AnyModel } from '../model/model';
import type { Operation } from '../operations/operation';
import { renderRevisionSource } from '../render/render-revision-source';
import { renderSql } from '../render/render-sql';
import type { Project } from './project';
import { createRevision } from './revision';
import { checkKnownHeads, targetName, withSession, type Output } from './session';

export interface CompareOptions {
  readonly project: Project;
  readonly target: Target;
  readonly model: AnyModel;
  readonly renames?: readonly (string | RenameHint)[];
  readonly lockTimeoutMs: number;
  readonly output: Output;
  /** Refuse unless the target is at the graph's head(s) (autogenerate needs that; check does not). */
  readonly requireHead?: boolean;
}

export interface CompareResult {
  readonly target: string;
  readonly heads: readonly string[];
  /** Operations that turn the database's schema into the model. */
  readonly operations: Operation[];
}

/**
 * Compares the model with a target schema: the model is built into a scratch schema inside a
 * transaction that is always rolled back (nothing persists), both schemas are read as snapshots
 * on that one session, and the snapshots are diffed. Snapshots carry no schema name, so the
 * scratch schema's objects compare equal to the target's.
 */
export async function compareModel(options: CompareOptions): Promise<CompareResult> {
  const { project, target } = options;
  return withSession(
    target,
    { baseDir: project.config.dir, versionTable: project.config.versionTable, lock: false, lockTimeoutMs: options.lockTimeoutMs, output: options.output },
    async (session) => {
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
      const scratch = `retort_scratch_${randomBytes(5).toString('hex')}`;
      const db = session.db;
      await sql.raw('BEGIN').execute(db);
      try {
        await sql`create schema ${sql.id(scratch)}`.execute(db);
        await copyDefaultPrivileges(db, target.schema, scratch);
        await createAll(options.model, {
          db,
          schema: scratch,
          ...(target.suRole ? { suRole: target.suRole } : {}),
          asSuperuser: (fn) => asSuperuser(db, target.suRole, fn),
        });
        const current = await readSnapshot(db, target.schema, { inTransaction: true });
        const wanted = await readSnapshot(db, scratch, { inTransaction: true });
        const operations = diffSnapshots(current, wanted, options.renames ? { renames: options.renames } : {});
        return { target: targetName(target), heads: session.heads, operations };
      } finally {
        await sql.raw('ROLLBACK').execute(db).catch(() => undefined);
      }
    },
  );
}

const DEFAULT_ACL_OBJECTS: Record<string, string> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

/**
 * Gives the scratch schema the target schema's default privileges (`db init` sets some), so that
 * grants the server adds by default do not show up as drift.
 */
async function copyDefaultPrivileges(db: Kysely<any>, from: string, to: string): Promise<void> {
  const rows = await sql<{ role: string; objtype: string; grantee: string | null; privilege: string }>`
    select pg_get_userbyid(d.defaclrole) as role, d.defaclobjtype as objtype,
           case when a.grantee = 0 then null else pg_get_userbyid(a.grantee) end as grantee, a.privilege_type as privilege
    from pg_default_acl d
    join pg_namespace n on n.oid = d.defaclnamespace   -- defaults for that one schema
    cross join lateral aclexplode(d.defaclacl) a
    where n.nspname = ${from}`.execute(db);
  for (const r of rows.rows) {
    const objects = DEFAULT_ACL_OBJECTS[r.objtype];
    if (!objects) continue;
    const grantee = r.grantee === null ? sql`public` : sql.id(r.grantee);
    await sql`alter default privileges for role ${sql.id(r.role)} in schema ${sql.id(to)} grant ${sql.raw(r.privilege.toLowerCase())} on ${sql.raw(objects)} to ${grantee}`.execute(db);
  }
}

/** SET ROLE when a role is configured; otherwise the login user must be privileged enough itself. */
async function asSuperuser<T>(db: Kysely<any>, role: string | undefined, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  if (!role) return fn(db);
  await sql`set role ${sql.id(role)}`.execute(db);
  try {
    return await fn(db);
  } finally {
    await sql`reset role`.execute(db).catch(() => undefined);
  }
}

/** `check`: the differences between the model and the database, as SQL for review (empty when none). */
export function describeDrift(result: CompareResult, schema: string): string {
  return result.operations.length === 0 ? '' : renderSql(result.operations, { schema });
}

/**
 * `revision --autogenerate`: the database must be at head; the new revision's upgrade turns it
 * into the model and its downgrade (each operation's reverse) turns it back. Every DDL is written
 * against `ctx.schema`.
 */
export async function autogenerateRevision(
  options: CompareOptions & { message: string; revId?: string | undefined },
): Promise<{ id: string; path: string; operations: number; review: number; destructive: number }> {
  const result = await compareModel({ ...options, requireHead: true });
  const source = renderRevisionSource(result.operations);
  const file = createRevision({
    project: options.project,
    message: options.message,
    revId: options.revId,
    upgradeBody: source.upgrade || '  // No changes detected.',
    downgradeBody: source.downgrade || '  // No changes detected.',
  });
  return {
    id: file.id,
    path: file.path,
    operations: result.operations.length,
    review: result.operations.filter((o) => o.review).length,
    destructive: result.operations.filter((o) => o.destructive).length,
  };
}

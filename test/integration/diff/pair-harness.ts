/**
 * The behavioural oracle for one pair of schemas, as the migra corpus uses it: load A and B
 * into two fresh databases, diff A -> B, apply the SQL to A; then nothing may be left to
 * diff and `pg_dump --schema-only` of A and B must match. The reversed operations (the
 * downgrade) applied to A must then give back A as it was. With `revision: true` the same
 * is checked once more through the rendered revision bodies, run with a MigrationContext.
 */
import { expect } from 'chai';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { Pool } from 'pg';
import type { DiffOptions } from '../../../src/diff/diff-snapshots';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import type { Direction } from '../../../src/graph/revision';
import type { Operation } from '../../../src/operations/operation';
import { reverseOperations } from '../../../src/operations/reverse-operation';
import { renderRevisionSource } from '../../../src/render/render-revision-source';
import { renderSql } from '../../../src/render/render-sql';
import type { MigrationContext } from '../../../src/runtime/context';
import type { Snapshot } from '../../../src/schema/snapshot';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { dumpDifference, execSql, normalizedDump, readSchema } from './schema-harness';

export interface PairCase {
  /** SQL for the "from" side, run with `search_path` = the schema, then public. */
  readonly a: string;
  /** SQL for the "to" side. */
  readonly b: string;
  /** The compared schema (default `s`). */
  readonly schema?: string;
  /** SQL run in both databases first (other schemas, extensions), with the default search_path. */
  readonly setup?: string;
  /** Options of every diff of the case (renames only apply to the first one). */
  readonly diff?: DiffOptions;
  /** The SU role the SQL switches to for privileged statements (`renderSql`'s `suRole`). */
  readonly suRole?: string;
  /**
   * A login role that plays the application's user: it owns the schema, runs a.sql and b.sql,
   * reads the snapshots (so its objects have the owner null) and applies the migrations.
   * Without it, the test's own user does all of that.
   */
  readonly applyAs?: string;
  /** Also run the rendered revision bodies through a MigrationContext. */
  readonly revision?: boolean;
  /** Extra checks on database A after the upgrade (`url` is A, `schema` the compared schema). */
  readonly afterUpgrade?: (url: string, schema: string) => Promise<void>;
}

export interface PairResult {
  readonly operations: Operation[];
  /** The upgrade as SQL. */
  readonly sql: string;
  /** The downgrade as SQL. */
  readonly downgrade: string;
  readonly from: Snapshot;
  readonly to: Snapshot;
}

function asRole(url: string, role: string | undefined): string {
  if (!role) return url;
  const u = new URL(url);
  u.username = role;
  return u.toString();
}

async function load(url: string, schema: string, setup: string | undefined, body: string, role: string | undefined): Promise<void> {
  if (setup) await execSql(url, setup);
  await execSql(url, `create schema "${schema}"${role ? ` authorization "${role}"` : ''}`);
  await execSql(asRole(url, role), `set search_path = "${schema}", public;\n${body}`);
}

function withoutRenames(options: DiffOptions | undefined): DiffOptions {
  const { renames: _ignored, ...rest } = options ?? {};
  return rest;
}

async function expectConverged(
  url: string,
  target: { url: string; snapshot: Snapshot } | { dump: string[]; snapshot: Snapshot },
  c: PairCase,
  what: string,
): Promise<void> {
  const schema = c.schema ?? 's';
  const now = await readSchema(asRole(url, c.applyAs), schema);
  const left = diffSnapshots(now, target.snapshot, withoutRenames(c.diff));
  expect(renderSql(left, { schema }), `${what}: left to do`).to.equal('');
  const wanted = 'dump' in target ? target.dump : await normalizedDump(target.url);
  expect(dumpDifference(await normalizedDump(url), wanted), `${what}: pg_dump differs`).to.equal('');
}

async function apply(url: string, text: string, what: string): Promise<void> {
  try {
    await execSql(url, text);
  } catch (error) {
    throw new Error(`${what} failed: ${(error as Error).message}\n${text}`, { cause: error });
  }
}

/** Runs a revision body the way the runtime does: in a transaction, search_path = schema, public. */
export async function runRevisionBody(url: string, schema: string, body: string, direction: Direction, suRole?: string): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
  try {
    await db.transaction().execute(async (trx: Transaction<unknown>) => {
      await sql`select set_config('search_path', quote_ident(${schema}) || ', public', true)`.execute(trx);
      const ctxDb = trx as unknown as MigrationContext['db'];
      const ctx: MigrationContext = {
        db: ctxDb,
        schema,
        suRole,
        sql,
        revision: 'test',
        direction,
        offline: false,
        asSuperuser: async (fn) => {
          if (!suRole) return fn(ctxDb);
          await sql`set role ${sql.id(suRole)}`.execute(ctxDb);
          try {
            return await fn(ctxDb);
          } finally {
            await sql`reset role`.execute(ctxDb);
          }
        },
        log: { info: () => undefined, warn: () => undefined },
      };
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
        arg: string,
        body: string,
      ) => (ctx: MigrationContext) => Promise<void>;
      await new AsyncFunction('ctx', body)(ctx);
    });
  } finally {
    await db.destroy();
  }
}

/**
 * Checks one pair (see the file comment) and returns what the diff produced, for further
 * assertions on the operations themselves.
 */
export async function checkPair(c: PairCase): Promise<PairResult> {
  const schema = c.schema ?? 's';
  const dbs: TestDatabase[] = [];
  const fresh = async (body: string) => {
    const d = await createTestDatabase('pair');
    dbs.push(d);
    await load(d.url, schema, c.setup, body, c.applyAs);
    return d;
  };
  try {
    const [a, b] = await Promise.all([fresh(c.a), fresh(c.b)]);
    const [from, to, originalDump] = await Promise.all([
      readSchema(asRole(a.url, c.applyAs), schema),
      readSchema(asRole(b.url, c.applyAs), schema),
      normalizedDump(a.url),
    ]);
    const operations = diffSnapshots(from, to, c.diff ?? {});
    const render = { schema, ...(c.suRole ? { suRole: c.suRole } : {}) };
    const upgrade = renderSql(operations, render);
    const downgrade = renderSql(reverseOperations(operations), render);
    const applyUrl = (d: TestDatabase) => asRole(d.url, c.applyAs);

    await apply(applyUrl(a), upgrade, 'the upgrade');
    await expectConverged(a.url, { url: b.url, snapshot: to }, c, 'after the upgrade');
    if (c.afterUpgrade) await c.afterUpgrade(a.url, schema);
    await apply(applyUrl(a), downgrade, 'the downgrade');
    await expectConverged(a.url, { dump: originalDump, snapshot: from }, c, 'after the downgrade');

    if (c.revision) {
      const r = await fresh(c.a);
      const source = renderRevisionSource(operations);
      await runRevisionBody(applyUrl(r), schema, source.upgrade, 'up', c.suRole);
      await expectConverged(r.url, { url: b.url, snapshot: to }, c, 'after upgrade()');
      await runRevisionBody(applyUrl(r), schema, source.downgrade, 'down', c.suRole);
      await expectConverged(r.url, { dump: originalDump, snapshot: from }, c, 'after downgrade()');
    }
    return { operations, sql: upgrade, downgrade, from, to };
  } finally {
    await Promise.all(dbs.map((d) => d.drop()));
  }
}

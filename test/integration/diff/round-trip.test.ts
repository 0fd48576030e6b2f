/**
 * Round trips on our own fixtures (fixtures/round-trip): the same schema in two schemas
 * diffs to nothing; v1 -> v2 applied and then reversed returns to v1; and the same through
 * the TypeScript revision bodies run with a MigrationContext.
 */
import type { Direction } from '../../../src/graph/revision';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { Pool } from 'pg';
import { diffSchemas } from '../../../src/commands/diff';
import { reverseOperations } from '../../../src/operations/reverse-operation';
import { renderRevisionSource } from '../../../src/render/render-revision-source';
import { renderSql } from '../../../src/render/render-sql';
import type { MigrationContext } from '../../../src/runtime/context';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { execSql } from './schema-harness';
import { OWN_SCHEMA_ID } from '../../../src/schema/own-schema';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', 'round-trip', name), 'utf8');
const renames = ['table:pet=animal', 'column:person.nick=handle'];

/** Loads a fixture into a new schema; `__schema__` in the fixture stands for that schema. */
async function load(url: string, schema: string, file: string): Promise<void> {
  await execSql(url, `create schema "${schema}"; set search_path = "${schema}", public;\n${fixture(file).replace(/__schema__/g, schema)}`);
}

async function diff(url: string, from: string, to: string, hints: readonly string[] = []) {
  return diffSchemas({ from: { url, schema: from }, to: { url, schema: to }, renames: hints });
}

/** Runs a revision body the way the runtime does: in a transaction, search_path = schema, public. */
async function runBody(url: string, schema: string, body: string, direction: Direction): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
  try {
    await db.transaction().execute(async (trx: Transaction<unknown>) => {
      await sql`select set_config('search_path', quote_ident(${schema}) || ', public', true)`.execute(trx);
      const ctx: MigrationContext = {
        db: trx as unknown as MigrationContext['db'],
        schema,
        suRole: undefined,
        sql,
        revision: 'test',
        direction,
        offline: false,
        asSuperuser: (fn) => fn(trx as unknown as MigrationContext['db']),
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

describe('diff round trips (integration)', function () {
  let db: TestDatabase;

  beforeEach(async function () {
    db = await createTestDatabase('rt');
  });

  afterEach(async function () {
    await db.drop();
  });

  it('finds nothing between the same schema in two schemas', async function () {
    await load(db.url, 'a', 'v1.sql');
    await load(db.url, 'b', 'v1.sql');
    expect((await diff(db.url, 'a', 'b')).operations).to.deep.equal([]);
    expect((await diff(db.url, 'b', 'a')).operations).to.deep.equal([]);
  });

  it('snapshots do not contain the schema name', async function () {
    await load(db.url, 'first_schema_name', 'v2.sql');
    const r = await diff(db.url, 'first_schema_name', 'first_schema_name');
    expect(JSON.stringify(r.from)).not.to.contain('first_schema_name');
    // a function pinning its own schema in SET search_path is written against the target schema
    const pinned = r.from.routines.find((f) => f.name === 'pinned')!;
    expect(pinned.definition).to.contain(`SET search_path TO ${OWN_SCHEMA_ID}, 'public'`);
  });

  it('applies v1 -> v2 as SQL, then the reversed operations take it back to v1', async function () {
    await load(db.url, 'work', 'v1.sql');
    await load(db.url, 'target', 'v2.sql');
    await load(db.url, 'original', 'v1.sql');
    const forward = await diff(db.url, 'work', 'target', renames);
    expect(forward.operations.length).to.be.greaterThan(30);
    expect(forward.sql).not.to.contain('"target"');
    await execSql(db.url, forward.sql);
    const after = await diff(db.url, 'work', 'target');
    expect(after.sql, 'left to do after the upgrade').to.equal('');

    await execSql(db.url, renderSql(reverseOperations(forward.operations), { schema: 'work' }));
    const back = await diff(db.url, 'work', 'original');
    expect(back.sql, 'left to do after the downgrade').to.equal('');
  });

  it('runs the rendered revision bodies: upgrade reaches v2, downgrade returns to v1', async function () {
    await load(db.url, 'work', 'v1.sql');
    await load(db.url, 'target', 'v2.sql');
    await load(db.url, 'original', 'v1.sql');
    const forward = await diff(db.url, 'work', 'target', renames);
    const source = renderRevisionSource(forward.operations);
    for (const body of [source.upgrade, source.downgrade]) {
      expect(body).not.to.match(/\b(work|target|original)\b/);
      expect(body).to.contain('ctx.schema');
    }
    await runBody(db.url, 'work', source.upgrade, 'up');
    expect((await diff(db.url, 'work', 'target')).sql, 'left to do after upgrade()').to.equal('');
    await runBody(db.url, 'work', source.downgrade, 'down');
    expect((await diff(db.url, 'work', 'original')).sql, 'left to do after downgrade()').to.equal('');
  });

  it('applies the same revision bodies to another schema', async function () {
    await load(db.url, 'work', 'v1.sql');
    await load(db.url, 'target', 'v2.sql');
    await load(db.url, 'other', 'v1.sql');
    const source = renderRevisionSource((await diff(db.url, 'work', 'target', renames)).operations);
    await runBody(db.url, 'other', source.upgrade, 'up');
    expect((await diff(db.url, 'other', 'target')).sql).to.equal('');
  });
});

/**
 * Cause 7: the SQL and the revisions run what only a superuser may run (plpython3u routines,
 * extensions that need a superuser, owner changes, changes to objects the SU role owns) as
 * the SU role, and owners are compared. The application's user here is a login role without
 * superuser rights that may SET ROLE to a superuser role, as in production.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { OperationOf } from '../../../src/operations/operation';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { renderRevisionSource } from '../../../src/render/render-revision-source';
import { renderSql } from '../../../src/render/render-sql';
import { createTestDatabase, query, testServerUrl } from '../../support/database';
import { checkPair } from './pair-harness';
import { execSql, readSchema } from './schema-harness';

const suffix = randomBytes(3).toString('hex');
const app = `retort_app_${suffix}`;
const su = `retort_su_${suffix}`;
const other = `retort_other_${suffix}`;

const pyAdd = `create function py_add(a int, b int) returns int language plpython3u as $$
return a + b
$$;`;

function asRole(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  return u.toString();
}

describe('diff: privileged operations and owners (integration)', function () {
  before(async function () {
    const server = await testServerUrl();
    await execSql(
      server,
      `create role "${app}" login; create role "${su}" nologin superuser; create role "${other}" nologin;
      grant "${su}" to "${app}";`,
    );
  });

  after(async function () {
    const server = await testServerUrl();
    await execSql(server, `drop role if exists "${app}"; drop role if exists "${su}"; drop role if exists "${other}";`);
  });

  it('creates a plpython3u function as the SU role, which then owns it: no ALTER OWNER', async function () {
    const r = await checkPair({
      setup: 'create extension if not exists plpython3u;',
      a: `create table t (a int);`,
      b: `create table t (a int); set role "${su}"; ${pyAdd} comment on function py_add(int, int) is 'adds'; reset role;`,
      applyAs: app,
      suRole: su,
      diff: { suRole: su },
      revision: true,
    });
    expect(r.to.routines[0]!.owner).to.equal(su);
    // the language's extension (already there: IF NOT EXISTS) and the function, in one block
    expect(r.sql).to.contain(`SET ROLE "${su}";\n\nCREATE EXTENSION IF NOT EXISTS "plpython3u" WITH SCHEMA "pg_catalog"`);
    expect(r.sql.indexOf('CREATE OR REPLACE FUNCTION "s"."py_add"')).to.be.lessThan(r.sql.indexOf('RESET ROLE;'));
    expect(r.sql).not.to.contain('OWNER TO');
    const source = renderRevisionSource(r.operations);
    expect(source.upgrade).to.contain('await ctx.asSuperuser(async (db) => {');
    expect(source.upgrade).to.contain('.execute(db);');
  });

  it('changes the comment of a function the SU role owns as the SU role', async function () {
    const r = await checkPair({
      setup: 'create extension if not exists plpython3u;',
      a: `set role "${su}"; ${pyAdd} comment on function py_add(int, int) is 'adds'; reset role;`,
      b: `set role "${su}"; ${pyAdd} comment on function py_add(int, int) is 'sums'; reset role;`,
      applyAs: app,
      suRole: su,
      diff: { suRole: su },
      revision: true,
    });
    expect(r.operations).to.have.length(1);
    expect(r.operations[0]).to.include({ kind: 'setComment', superuser: true });
  });

  it('compares owners and changes them, both ways', async function () {
    const r = await checkPair({
      a: `create table t (a int); create view v as select a from t; create sequence q;
          create function f() returns int language sql as 'select 1';
          set role "${su}"; create function g() returns int language sql as 'select 2'; reset role;`,
      b: `create table t (a int); create view v as select a from t; create sequence q;
          create function f() returns int language sql as 'select 1';
          create function g() returns int language sql as 'select 2';
          set role "${su}"; alter table t owner to "${other}"; alter sequence q owner to "${su}"; reset role;`,
      applyAs: app,
      suRole: su,
      diff: { suRole: su },
      revision: true,
    });
    const owners = r.operations.filter((o): o is OperationOf<'alterOwner'> => o.kind === 'alterOwner').map((o) => [o.target.name, o.from, o.to]);
    expect(owners).to.have.deep.members([
      ['t', null, other],
      ['q', null, su],
      ['g', su, null],
    ]);
    expect(r.sql).to.contain('ALTER FUNCTION "s"."g"() OWNER TO SESSION_USER');
  });

  it('creates the language extension a plpython3u function needs, and fails without the SU role', async function () {
    const a = await createTestDatabase('py_a');
    const b = await createTestDatabase('py_b');
    try {
      for (const d of [a, b]) await execSql(d.url, `create schema s authorization "${app}"`);
      await execSql(b.url, 'create extension plpython3u');
      await execSql(asRole(b.url, app), `set search_path = s; set role "${su}"; ${pyAdd} reset role;`);
      const [from, to] = await Promise.all([readSchema(asRole(a.url, app), 's'), readSchema(asRole(b.url, app), 's')]);
      expect(to.extensions.map((x) => [x.name, x.schema, x.privileged])).to.deep.equal([['plpython3u', 'pg_catalog', true]]);
      const ops = diffSnapshots(from, to, { suRole: su });
      expect(ops.map((o) => o.kind)).to.deep.equal(['createExtension', 'createRoutine']);
      const plain = renderSql(ops, { schema: 's' });
      await expectFailure(asRole(a.url, app), plain, /permission denied|must be superuser|not allowed/);
      await execSql(asRole(a.url, app), renderSql(ops, { schema: 's', suRole: su }));
      const rows = await query<{ sum: number }>(asRole(a.url, app), 'select s.py_add(1, 2) as sum');
      expect(rows[0]!.sum).to.equal(3);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});

async function expectFailure(url: string, sql: string, pattern: RegExp): Promise<void> {
  let failure: Error | undefined;
  try {
    await execSql(url, sql);
  } catch (error) {
    failure = error as Error;
  }
  expect(failure?.message, 'applying without the SU role').to.match(pattern);
}

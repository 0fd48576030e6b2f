/**
 * Cause 1: PostgreSQL does not print every view as a fixpoint. A varchar column compared with
 * an IN list prints as `= ANY ((ARRAY['x'::character varying, ...])::text[])`, and a view
 * created from that text prints as `= ANY (ARRAY[('x'::character varying)::text, ...])`.
 * Compared as text, a schema built from its SQL never matches one built by a migration, and
 * the diff re-creates the view (and, for a materialized view, what depends on it) forever.
 * With the normal forms of the texts (here sent through a scratch schema of another database
 * until they stop changing), the second diff is empty.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import type { DefinitionDifference } from '../../../src/diff/definition-differences';
import { textualDifferences } from '../../../src/diff/definition-differences';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { renderSql } from '../../../src/render/render-sql';
import { emptySnapshot, type Snapshot } from '../../../src/schema/snapshot';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { execSql, readSchema } from './schema-harness';

const source = `
create table t (id int primary key, c varchar(10));
create view v1 as select id, c from t where c in ('x', 'y');
create view v2 as select id, c from v1 where id > 0;
create materialized view mv as select c, count(*) as n from v2 group by c;
create materialized view m1 as select id, c from t where c in ('x', 'y');
create view v3 as select c from m1;`;

/** Sends view texts through a scratch schema holding the target's tables until they stop changing. */
async function viewNormalizer(scratch: TestDatabase, target: Snapshot, differences: readonly DefinitionDifference[]) {
  await execSql(scratch.url, `create schema s;\n${renderSql(diffSnapshots(emptySnapshot, target), { schema: 's' })}`);
  const normal = new Map<string, string>();
  const client = new Client({ connectionString: scratch.url });
  await client.connect();
  try {
    await client.query('set search_path = s');
    for (const text of differences.flatMap((d) => [d.from, d.to])) {
      let current = text;
      for (let round = 0; round < 5; round++) {
        await client.query(`create view retort_normal as ${current.replace(/;\s*$/, '')}`);
        const { rows } = await client.query<{ def: string }>(`select pg_get_viewdef('retort_normal'::regclass) as def`);
        await client.query('drop view retort_normal');
        if (rows[0]!.def === current) break;
        current = rows[0]!.def;
      }
      normal.set(text, current);
    }
  } finally {
    await client.end();
  }
  return (_kind: string, text: string) => normal.get(text) ?? text;
}

describe('diff: view texts that are not a fixpoint (integration)', function () {
  const dbs: TestDatabase[] = [];
  afterEach(async function () {
    await Promise.all(dbs.splice(0).map((d) => d.drop()));
  });

  it('compares normal forms, so a diff applied once leaves nothing behind', async function () {
    const [a, b, scratch] = await Promise.all([createTestDatabase('norm_a'), createTestDatabase('norm_b'), createTestDatabase('norm_n')]);
    dbs.push(a, b, scratch);
    // B from its SQL; A by the migration Retort writes for B
    await execSql(b.url, `create schema s; set search_path = s;\n${source}`);
    const target = await readSchema(b.url, 's');
    await execSql(a.url, `create schema s;\n${renderSql(diffSnapshots(emptySnapshot, target), { schema: 's' })}`);
    const built = await readSchema(a.url, 's');

    const v1 = (s: Snapshot) => s.views.find((v) => v.name === 'v1')!.definition;
    expect(v1(target)).to.contain("(ARRAY['x'::character varying, 'y'::character varying])::text[]");
    expect(v1(built)).to.contain("ARRAY[('x'::character varying)::text, ('y'::character varying)::text]");

    // compared as text: v1 is replaced and m1 re-created with v3, and again after applying that
    const plain = diffSnapshots(built, target);
    expect(plain.map((o) => o.kind)).to.have.members(['replaceView', 'dropView', 'dropView', 'createView', 'createView']);
    await execSql(a.url, renderSql(plain, { schema: 's' }));
    expect(diffSnapshots(await readSchema(a.url, 's'), target).map((o) => o.kind)).to.have.members(plain.map((o) => o.kind));

    // compared in normal form: nothing to do
    const differences = textualDifferences(built, target);
    expect(differences.map((d) => [d.kind, d.key])).to.have.deep.members([
      ['view', 'view:"v1"'],
      ['materialized view', 'view:"m1"'],
    ]);
    const normalize = await viewNormalizer(scratch, target, differences);
    expect(diffSnapshots(await readSchema(a.url, 's'), target, { normalize })).to.deep.equal([]);
  });
});

/**
 * Cause 5: objects of other schemas. A single-schema diff names what it needs from other
 * schemas (so a command can check the target has them), writes references to them qualified,
 * and refuses to drop or re-create what another schema's objects depend on, naming them.
 */
import { expect } from 'chai';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { missingOutsideObjects } from '../../../src/catalog/missing-outside-objects';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { RetortError } from '../../../src/errors';
import { outsideReferences } from '../../../src/operations/outside-references';
import { outsideDependantsOf } from '../../../src/schema/snapshot';
import { createTestDatabase } from '../../support/database';
import { checkPair } from './pair-harness';
import { execSql, readSchema } from './schema-harness';

const other = `create schema other;
create table other.country (code text primary key);
create type other.money_t as (amount numeric, currency text);
create table other.events (at date not null, what text) partition by range (at);
create table other.base (created date);`;

async function withDb<T>(url: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('diff: objects of other schemas (integration)', function () {
  it('references another schema qualified, and lists what it needs from it', async function () {
    const r = await checkPair({
      setup: other,
      a: `create table old_events (at date not null, what text);`,
      b: `create table t (id int primary key, country text references other.country (code), price other.money_t);
          create table events_2024 partition of other.events for values from ('2024-01-01') to ('2025-01-01');
          create table old_events (at date not null, what text);
          alter table other.events attach partition old_events for values from ('2000-01-01') to ('2024-01-01');
          create table kid (x int) inherits (other.base);`,
      revision: true,
    });
    expect(r.sql).to.contain('ALTER TABLE "other"."events" ATTACH PARTITION "s"."old_events"');
    expect(r.downgrade).to.contain('ALTER TABLE "other"."events" DETACH PARTITION "s"."old_events"');
    const needed = outsideReferences(r.operations);
    expect(needed).to.have.deep.members([
      { kind: 'relation', schema: 'other', name: 'country' },
      { kind: 'type', schema: 'other', name: 'money_t' },
      { kind: 'relation', schema: 'other', name: 'events' },
      { kind: 'relation', schema: 'other', name: 'base' },
    ]);
    const bare = await createTestDatabase('outside');
    try {
      await execSql(bare.url, 'create schema other; create table other.country (code text primary key);');
      const missing = await withDb(bare.url, (db) => missingOutsideObjects(db, needed));
      expect(missing).to.have.deep.members(needed.filter((n) => n.name !== 'country'));
    } finally {
      await bare.drop();
    }
  });

  it('refuses to drop or re-create what another schema depends on, naming it', async function () {
    const a = await createTestDatabase('outside_a');
    const b = await createTestDatabase('outside_b');
    try {
      await execSql(
        a.url,
        `create schema s; create schema other;
        create table s.t (id int primary key, a text, n int);
        create table s.gone (id int);
        create view other.v as select a from s.t;
        create table other.r (t_id int references s.t (id));
        create table s.p (at date) partition by range (at);
        create table other.p1 partition of s.p for values from ('2024-01-01') to ('2025-01-01');`,
      );
      const from = await readSchema(a.url, 's');
      expect(outsideDependantsOf(from).map((d) => [d.object, d.schema, d.kind])).to.deep.include.members([
        ['column:"t"."a"', 'other', 'view'],
        ['constraint:"t"."t_pkey"', 'other', 'table constraint'],
        ['table:"p"', 'other', 'table'],
      ]);
      const variants: [string, RegExp][] = [
        [
          'create table t (id int primary key, n int); create table gone (id int); create table p (at date) partition by range (at);',
          /column "t"."a".*view other\.v/,
        ],
        [
          'create table t (id int primary key, a int, n int); create table gone (id int); create table p (at date) partition by range (at);',
          /column "t"."a".*view other\.v/,
        ],
        ['create table t (id int primary key, a text, n int); create table gone (id int);', /table "p".*table other\.p1/],
        [
          'create table t (id text primary key, a text, n int); create table gone (id int); create table p (at date) partition by range (at);',
          /constraint "t_pkey" on "t".*constraint r_t_id_fkey on table other\.r/,
        ],
      ];
      for (const [target, message] of variants) {
        await execSql(b.url, `drop schema if exists s cascade; create schema s; set search_path = s; ${target}`);
        const to = await readSchema(b.url, 's');
        let error: unknown;
        try {
          diffSnapshots(from, to);
        } catch (e) {
          error = e;
        }
        expect(error, target).to.be.instanceOf(RetortError);
        expect((error as RetortError).code).to.equal('OUTSIDE_DEPENDANT');
        expect((error as Error).message, target).to.match(message);
      }
      // what depends on a schema from elsewhere is not part of its snapshot's data
      await execSql(
        b.url,
        `drop schema s cascade; create schema s;
        create table s.t (id int primary key, a text, n int);
        create table s.gone (id int);
        create table s.p (at date) partition by range (at);`,
      );
      const alone = await readSchema(b.url, 's');
      expect(alone).to.deep.equal(from);
      expect(outsideDependantsOf(alone)).to.deep.equal([]);
      // what no other schema depends on still goes; a type change leaves their constraints to PostgreSQL
      await execSql(
        b.url,
        `drop schema s cascade; create schema s; set search_path = s;
        create table t (id bigint primary key, a text, n bigint); create table p (at date) partition by range (at);`,
      );
      const ops = diffSnapshots(from, await readSchema(b.url, 's'));
      expect(ops.map((o) => o.kind)).to.have.members(['dropTable', 'alterColumnType', 'alterColumnType']);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});

/**
 * Cause 3: a column type change without an implicit or assignment cast is written with
 * `USING`, flagged for review, and what depends on the column (views, indexes, defaults,
 * check constraints, foreign keys) is dropped before and created again after, both ways.
 */
import { expect } from 'chai';
import type { OperationOf } from '../../../src/operations/operation';
import { checkPair } from './pair-harness';

describe('diff: column type changes that need a cast (integration)', function () {
  it('converts text to integer and back, around a view, an index, a default and a check', async function () {
    const r = await checkPair({
      a: `create table t (id int primary key, n text default '0' check (n <> ''), label text);
          create index on t (n);
          create index t_upper on t (upper(label));
          create view v as select id, n from t;`,
      b: `create table t (id int primary key, n integer default 0 check (n >= 0), label text);
          create index on t (n);
          create index t_upper on t (upper(label));
          create view v as select id, n from t;`,
      revision: true,
    });
    const alter = r.operations.find((o): o is OperationOf<'alterColumnType'> => o.kind === 'alterColumnType')!;
    expect(alter.review).to.equal(true);
    expect(alter.note).to.contain('USING "n"::integer');
    expect(r.sql).to.contain('ALTER COLUMN "n" TYPE integer USING "n"::integer');
    expect(r.sql.indexOf('DROP DEFAULT')).to.be.lessThan(r.sql.indexOf('TYPE integer'));
    expect(r.sql.indexOf('DROP INDEX "s"."t_n_idx"')).to.be.lessThan(r.sql.indexOf('TYPE integer'));
    expect(r.sql.indexOf('TYPE integer')).to.be.lessThan(r.sql.indexOf('SET DEFAULT 0'));
    // the index on another column stays
    expect(r.sql).not.to.contain('t_upper');
    expect(r.downgrade).to.contain('TYPE text;');
  });

  it('converts bigint to timestamp through text, and varchar to uuid with a cast', async function () {
    const r = await checkPair({
      a: `create table t (at bigint not null default 0, id varchar(36) unique);
          create table u (t_id varchar(36) references t (id));`,
      b: `create table t (at timestamp not null default now(), id uuid unique);
          create table u (t_id uuid references t (id));`,
      revision: true,
    });
    expect(r.sql).to.contain('TYPE timestamp without time zone USING "at"::text::timestamp without time zone');
    expect(r.sql).to.contain('TYPE uuid USING "id"::uuid');
    expect(r.downgrade).to.contain('TYPE bigint USING "at"::text::bigint');
    expect(r.downgrade).to.contain('TYPE character varying(36);');
    const reviewed = r.operations.filter((o) => o.kind === 'alterColumnType' && o.review);
    expect(reviewed).to.have.length(3);
  });

  it('leaves assignment casts to PostgreSQL: no USING, no review, dependants kept', async function () {
    const r = await checkPair({
      a: `create table t (id int primary key, n int default 1 check (n > 0), s varchar(10));
          create index on t (n);`,
      b: `create table t (id int primary key, n bigint default 1 check (n > 0), s varchar(20));
          create index on t (n);`,
    });
    expect(r.sql).not.to.contain('USING');
    expect(r.sql).not.to.match(/DROP INDEX|DROP CONSTRAINT|DROP DEFAULT/);
    expect(r.operations.some((o) => o.review)).to.equal(false);
  });
});

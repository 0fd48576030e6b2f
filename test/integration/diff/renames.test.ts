/**
 * Cause 8: a rename touches only what it renames. PostgreSQL carries constraints, indexes
 * and foreign keys along; names it generated after the old name follow the new one by a
 * rename, never by dropping and adding the object again.
 */
import { expect } from 'chai';
import { checkPair } from './pair-harness';

const untouched = /DROP CONSTRAINT|ADD CONSTRAINT|DROP INDEX|CREATE INDEX|DROP TABLE|CREATE TABLE/;

describe('diff: renames carry their constraints along (integration)', function () {
  it('renames a column with a unique constraint, up and down, in SQL and in a revision', async function () {
    const r = await checkPair({
      a: `create table t (id int primary key, a int unique, c int, check (a > 0));
          create index on t (a, c);
          create table r (t_a int references t (a));`,
      b: `create table t (id int primary key, b int unique, c int, check (b > 0));
          create index on t (b, c);
          create table r (t_a int references t (b));`,
      diff: { renames: ['column:t.a=b'] },
      revision: true,
    });
    expect(r.sql).not.to.match(untouched);
    expect(r.downgrade).not.to.match(untouched);
    expect(r.operations.map((o) => o.kind)).to.have.members(['renameColumn', 'renameConstraint', 'renameConstraint', 'renameIndex']);
  });

  it('keeps a chosen constraint name through a column rename', async function () {
    const r = await checkPair({
      a: `create table t (a int constraint t_one unique);`,
      b: `create table t (b int constraint t_one unique);`,
      diff: { renames: ['column:t.a=b'] },
      revision: true,
    });
    expect(r.operations.map((o) => o.kind)).to.deep.equal(['renameColumn']);
  });

  it('renames a table without dropping the foreign keys to and from it', async function () {
    const r = await checkPair({
      a: `create table parent (id int primary key);
          create table t (id int primary key, p int references parent (id), u int unique);
          create table child (t_id int references t (id));
          create index on t (p);`,
      b: `create table parent (id int primary key);
          create table t2 (id int primary key, p int references parent (id), u int unique);
          create table child (t_id int references t2 (id));
          create index on t2 (p);`,
      diff: { renames: ['table:t=t2'] },
      revision: true,
    });
    expect(r.sql).not.to.match(untouched);
    expect(r.downgrade).not.to.match(untouched);
    expect(r.operations.filter((o) => o.kind === 'renameTable')).to.have.length(1);
  });

  it('renames a table and a column in one step, with a serial column and its sequence', async function () {
    const r = await checkPair({
      a: `create table t (id serial primary key, a text unique);`,
      b: `create table u (id serial primary key, b text unique);`,
      diff: { renames: ['table:t=u', 'column:u.a=b'] },
      revision: true,
    });
    expect(r.sql).not.to.match(untouched);
  });
});

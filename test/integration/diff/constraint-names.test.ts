/**
 * Cause 2: a constraint or index name is compared by definition only when it is exactly the
 * name PostgreSQL would pick for it first; any other name (`t_pkey1`, a chosen name) is real,
 * and a difference is fixed by renaming.
 */
import { expect } from 'chai';
import { checkPair } from './pair-harness';

describe('diff: generated and real constraint names (integration)', function () {
  it('renames t_pkey1 (a table re-created under its old name) to t_pkey', async function () {
    const r = await checkPair({
      a: `create table t (id int primary key, a int unique, b int);
          create index on t (b);
          alter table t rename to t_old;
          create table t (id int primary key, a int unique, b int);
          create index on t (b);
          drop table t_old;
          create table r (id int primary key, t_id int references t (id));`,
      b: `create table t (id int primary key, a int unique, b int);
          create index on t (b);
          create table r (id int primary key, t_id int references t (id));`,
      revision: true,
    });
    expect(r.from.tables.find((t) => t.name === 't')!.constraints.map((c) => c.name)).to.have.members(['t_pkey1', 't_a_key1']);
    expect(r.operations.map((o) => o.kind)).to.have.members(['renameConstraint', 'renameConstraint', 'renameIndex']);
    expect(r.sql).to.contain('RENAME CONSTRAINT "t_pkey1" TO "t_pkey"');
    expect(r.sql).not.to.match(/DROP CONSTRAINT|ADD CONSTRAINT/);
  });

  it('renames a chosen name to another chosen name without dropping dependants', async function () {
    const r = await checkPair({
      a: `create table t (id int constraint t_ident primary key, a int constraint a_once unique);
          create table r (t_id int constraint r_to_t references t (id));`,
      b: `create table t (id int constraint t_id_pk primary key, a int constraint a_unique unique);
          create table r (t_id int constraint r_t_fk references t (id));`,
    });
    expect(r.operations.map((o) => o.kind)).to.deep.equal(['renameConstraint', 'renameConstraint', 'renameConstraint']);
  });

  it('keeps comparing generated names by definition', async function () {
    const r = await checkPair({
      a: `create table t (id int primary key, a int, b int, unique (a, b), check (a > 0));`,
      b: `create table t (id int primary key, a int, b int, unique (b, a), check (a > 1));`,
    });
    expect(r.operations.map((o) => o.kind)).to.have.members(['dropConstraint', 'addConstraint', 'dropConstraint', 'addConstraint']);
  });
});

/**
 * Cause 4: partitioned tables. Indexes and constraints that partitions hold for their parent
 * (created with it, or made on the partition first and attached), REPLICA IDENTITY on parents
 * and partitions, a referenced table that becomes partitioned, partitions added, attached and
 * detached.
 */
import { expect } from 'chai';
import { checkPair } from './pair-harness';

const parent = `create table p (a int not null, b text, c int) partition by range (a);`;

describe('diff: partitioned tables (integration)', function () {
  it('renames an index a partition holds for its parent to the name it has in the target', async function () {
    const r = await checkPair({
      a: `${parent}
          create table p1 partition of p for values from (0) to (10);
          create index on p (a);`,
      b: `${parent}
          create table p1 partition of p for values from (0) to (10);
          create index p1_by_a on p1 (a);
          create index on p (a);`,
      revision: true,
    });
    expect(r.operations).to.deep.equal([{ kind: 'renameIndex', from: 'p1_a_idx', to: 'p1_by_a' }]);
  });

  it('creates a partition whose inherited primary key and index have names of their own', async function () {
    await checkPair({
      a: `${parent} alter table p add primary key (a); create index on p (b);`,
      b: `${parent} alter table p add primary key (a); create index on p (b);
          create table p1 (a int not null, b text, c int);
          alter table p1 add constraint p1_own_pk primary key (a);
          create index p1_own_b on p1 (b);
          alter table p attach partition p1 for values from (0) to (10);`,
      revision: true,
    });
  });

  it('adds a primary key to a parent whose partition names its part', async function () {
    await checkPair({
      a: `${parent} create table p1 partition of p for values from (0) to (10);`,
      b: `${parent} create table p1 partition of p for values from (0) to (10);
          alter table p1 add constraint p1_own_pk primary key (a);
          alter table p add constraint p_pk primary key (a);`,
      revision: true,
    });
  });

  it('sets REPLICA IDENTITY on a parent and its partitions, and back', async function () {
    const r = await checkPair({
      a: `${parent}
          create table p1 partition of p for values from (0) to (10);
          create table p2 partition of p for values from (10) to (20);
          create table t (id int not null, u int not null);
          create unique index t_u on t (u);`,
      b: `${parent}
          create table p1 partition of p for values from (0) to (10);
          create table p2 partition of p for values from (10) to (20);
          create table t (id int not null, u int not null);
          create unique index t_u on t (u);
          create unique index p1_a on p1 (a);
          alter table p replica identity full;
          alter table p1 replica identity using index p1_a;
          alter table p2 replica identity nothing;
          alter table t replica identity using index t_u;`,
      revision: true,
    });
    expect(r.to.tables.find((t) => t.name === 'p')!.replicaIdentity).to.equal('full');
    expect(r.to.tables.find((t) => t.name === 'p1')!.replicaIdentity).to.deep.equal({ index: 'p1_a' });
    expect(r.sql).to.contain('ALTER TABLE "s"."p1" REPLICA IDENTITY USING INDEX "p1_a"');
  });

  it('turns a table that others reference into a partitioned one', async function () {
    await checkPair({
      a: `create table t (id int primary key, at date);
          create table r (t_id int references t (id));
          create view v as select id from t;`,
      b: `create table t (id int primary key, at date) partition by range (id);
          create table t_low partition of t for values from (0) to (1000);
          create table r (t_id int references t (id));
          create view v as select id from t;`,
      revision: true,
    });
  });

  it('adds, attaches and detaches partitions', async function () {
    await checkPair({
      a: `${parent} alter table p add primary key (a); create index on p (b);
          create table p1 partition of p for values from (0) to (10);
          create table p2 partition of p for values from (10) to (20);
          create table p3 (a int not null, b text, c int, primary key (a));
          create index p3_b on p3 (b);`,
      b: `${parent} alter table p add primary key (a); create index on p (b);
          create table p1 partition of p for values from (0) to (10);
          create table p2 (a int not null, b text, c int, primary key (a));
          create index p2_b_idx on p2 (b);
          create table p3 (a int not null, b text, c int, primary key (a));
          create index p3_b on p3 (b);
          alter table p attach partition p3 for values from (20) to (30);
          create table p4 partition of p for values from (30) to (40);`,
      revision: true,
    });
  });

  it("attaches a table without the parent's indexes and detaches one that keeps fewer", async function () {
    const r = await checkPair({
      a: `${parent} alter table p add primary key (a); create index on p (b);
          create table p1 partition of p for values from (0) to (10);
          create table p2 partition of p for values from (10) to (20);
          create table p3 (a int not null, b text, c int);`,
      b: `${parent} alter table p add primary key (a); create index on p (b);
          create table p1 partition of p for values from (0) to (10);
          create table p2 (a int not null, b text, c int, primary key (a));
          create table p3 (a int not null, b text, c int, constraint p3_key primary key (a));
          create index p3_by_b on p3 (b);
          alter table p attach partition p3 for values from (20) to (30);`,
      revision: true,
    });
    // made on p3 under the target's names before ATTACH adopts them; p2 keeps its key only
    expect(r.sql.indexOf('CREATE INDEX "p3_by_b"')).to.be.lessThan(r.sql.indexOf('ATTACH PARTITION "s"."p3"'));
    expect(r.sql.indexOf('DETACH PARTITION "s"."p2"')).to.be.lessThan(r.sql.indexOf('DROP INDEX "s"."p2_b_idx"'));
  });
});

import { expect } from 'chai';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { renderSql } from '../../../src/render/render-sql';
import { col, routine, snapshot, table } from './snapshot-literals';

const py = (owner: string | null) => routine('py', 'return 1', { privileged: true, language: 'plpython3u', owner });

describe('diffSnapshots: owners', function () {
  it('changes the owner of objects on both sides, and flags what changes an object another role owns', function () {
    const from = snapshot({ tables: [table('t', [col('a')], { owner: 'other' })], routines: [py('su')] });
    const to = snapshot({ tables: [table('t', [col('a'), col('b')])], routines: [py('su')] });
    const ops = diffSnapshots(from, to);
    expect(ops.map((o) => [o.kind, o.superuser])).to.deep.equal([
      ['addColumn', true],
      ['alterOwner', undefined],
    ]);
    expect(ops[1]).to.deep.include({ target: { kind: 'table', name: 't' }, from: 'other', to: null });
  });

  it('knows that what the SU role creates belongs to it', function () {
    const owned = diffSnapshots(snapshot({}), snapshot({ routines: [py('su')] }), { suRole: 'su' });
    expect(owned.map((o) => o.kind)).to.deep.equal(['createRoutine']);
    // the login user is to own it: set it back after creating it as the SU role
    const mine = diffSnapshots(snapshot({}), snapshot({ routines: [py(null)] }), { suRole: 'su' });
    expect(mine.map((o) => o.kind)).to.deep.equal(['createRoutine', 'alterOwner']);
    expect(mine[1]).to.deep.include({ from: 'su', to: null });
    // without an SU role, null leaves it to whoever creates it (a model's convention)
    expect(diffSnapshots(snapshot({}), snapshot({ routines: [py(null)] })).map((o) => o.kind)).to.deep.equal(['createRoutine']);
    // what the login user creates gets another owner from its create operation
    const other = diffSnapshots(snapshot({}), snapshot({ tables: [table('t', [col('a')], { owner: 'other' })] }));
    expect(other.map((o) => o.kind)).to.deep.equal(['createTable']);
    expect(renderSql(other, { schema: 's', header: false })).to.contain('ALTER TABLE "s"."t" OWNER TO "other";');
    // under SET ROLE the SU role owns what it creates: no OWNER TO for its own objects
    expect(renderSql(owned, { schema: 's', header: false, suRole: 'su' })).not.to.contain('OWNER TO');
  });
});

import { expect } from 'chai';
import { outsideReferences, qualifiedTypeNames } from '../../../src/operations/outside-references';
import { col, constraint, table } from '../diff/snapshot-literals';

describe('outsideReferences', function () {
  it('reads qualified names out of type texts', function () {
    expect(qualifiedTypeNames('"Geo"."Point Type"[]')).to.deep.equal([{ schema: 'Geo', name: 'Point Type' }]);
    expect(qualifiedTypeNames('public.geometry(Point,4326)')).to.deep.equal([{ schema: 'public', name: 'geometry' }]);
    expect(qualifiedTypeNames('character varying(10)')).to.deep.equal([]);
    expect(qualifiedTypeNames('pg_catalog.int4')).to.deep.equal([]);
  });

  it('lists each outside table, type and schema the operations need, once', function () {
    const t = table('t', [col('p', 'public.hstore'), col('q', 'integer')], {
      constraints: [constraint('t_q_fkey', 'foreign key', 'FOREIGN KEY (q) REFERENCES ref.r(id)', ['q'], { references: { schema: 'ref', name: 'r' } })],
      partitionOf: { parent: { schema: 'ref', name: 'events' }, bound: 'DEFAULT' },
    });
    expect(
      outsideReferences([
        { kind: 'createTable', table: t },
        { kind: 'addColumn', table: 't', column: col('x', 'public.hstore') },
        { kind: 'addInherit', table: 'u', parent: 'base', parentSchema: 'ref' },
        { kind: 'addInherit', table: 'u', parent: 'own' },
        { kind: 'createExtension', extension: { name: 'citext', version: '1.6', schema: 'ext', privileged: false } },
      ]),
    ).to.deep.equal([
      { kind: 'relation', schema: 'ref', name: 'events' },
      { kind: 'relation', schema: 'ref', name: 'r' },
      { kind: 'type', schema: 'public', name: 'hstore' },
      { kind: 'relation', schema: 'ref', name: 'base' },
      { kind: 'schema', schema: 'ext', name: null },
    ]);
  });
});

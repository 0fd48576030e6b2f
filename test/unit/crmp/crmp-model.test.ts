import { expect } from 'chai';
import { crmp, CRMP_DEFAULT_SCHEMA } from '../../../src/crmp';
import { modelOperations, modelStatements } from '../../../src/model';

describe('crmp model', () => {
  it('is a full reference schema: 15+ tables, 3+ views, 4+ materialized views, 6+ functions, 2+ triggers', () => {
    expect(crmp.tables.length).to.be.at.least(15);
    expect(crmp.views.length).to.be.at.least(3);
    expect(crmp.materializedViews.length).to.be.at.least(4);
    expect(crmp.functions.length).to.be.at.least(6);
    expect(crmp.triggers.length).to.be.at.least(2);
    expect(crmp.materializedViews.every((m) => m.node.indexes.length > 0)).to.equal(true);
    expect(new Set(crmp.functions.map((f) => f.language))).to.deep.equal(new Set(['plpgsql', 'sql', 'c']));
  });

  it('renders for any schema and never names crmp when built elsewhere', () => {
    const ddl = modelStatements(crmp, 'elsewhere')
      .map((s) => s.sql)
      .join(';\n');
    expect(ddl).not.to.match(/"crmp"|'crmp'|\bcrmp\./);
    expect(ddl).to.contain('CREATE TABLE "elsewhere"."obs_raw"');
    expect(ddl).to.contain("format(\n    'select obs_time, %s from %I.%I");
    expect(ddl).to.contain("columns, 'elsewhere', 'obs_raw'");
    expect(CRMP_DEFAULT_SCHEMA).to.equal('crmp');
  });

  it('has exactly one privileged object, the C trigger function, with its comment', () => {
    const su = modelStatements(crmp, CRMP_DEFAULT_SCHEMA).filter((s) => s.privileged);
    expect(su.map((s) => s.object)).to.deep.equal(['function moddatetime_wrapper', 'function moddatetime_wrapper']);
    expect(su.map((s) => s.sql)).to.deep.equal([
      'CREATE OR REPLACE FUNCTION "crmp"."moddatetime_wrapper"()\n RETURNS trigger\n LANGUAGE c\nAS \'$libdir/moddatetime\', \'moddatetime\'',
      'COMMENT ON FUNCTION "crmp"."moddatetime_wrapper"() IS \'Sets the column named by the trigger argument to the current time (contrib moddatetime).\'',
    ]);
  });

  it('names every constraint and index explicitly', () => {
    const ddl = modelStatements(crmp, 'x').map((s) => s.sql);
    const tables = ddl.filter((d) => d.startsWith('CREATE TABLE'));
    expect(tables).to.have.length(crmp.tables.length);
    for (const create of tables) {
      const constraints = create.match(/CONSTRAINT "[^"]+" (PRIMARY KEY|UNIQUE|CHECK)/g) ?? [];
      const keywords = create.match(/(PRIMARY KEY|UNIQUE \(|CHECK \()/g) ?? [];
      expect(constraints.length, create).to.equal(keywords.length);
    }
    const indexes = ddl.filter((d) => /^CREATE (UNIQUE )?INDEX/.test(d));
    expect(indexes.length).to.be.greaterThan(10);
    expect(indexes.every((d) => /^CREATE (UNIQUE )?INDEX "[a-z_]+" ON /.test(d))).to.equal(true);
    expect(modelOperations(crmp).filter((op) => op.kind === 'addConstraint').length).to.be.greaterThan(15);
  });
});

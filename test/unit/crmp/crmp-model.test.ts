import { expect } from 'chai';
import { crmp, CRMP_DEFAULT_SCHEMA } from '../../../src/crmp';
import { renderModelDdl } from '../../../src/model';

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
    const ddl = renderModelDdl(crmp, 'elsewhere').map((s) => s.sql).join(';\n');
    expect(ddl).not.to.match(/"crmp"|'crmp'|\bcrmp\./);
    expect(ddl).to.contain('create table "elsewhere"."obs_raw"');
    expect(ddl).to.contain("format(\n    'select obs_time, %s from %I.%I");
    expect(ddl).to.contain("columns, 'elsewhere', 'obs_raw'");
    expect(CRMP_DEFAULT_SCHEMA).to.equal('crmp');
  });

  it('has exactly one privileged object, the C trigger function, with its comment', () => {
    const su = renderModelDdl(crmp, CRMP_DEFAULT_SCHEMA).filter((s) => s.superuser);
    expect(su.map((s) => s.object)).to.deep.equal(['function moddatetime_wrapper', 'comment on function moddatetime_wrapper']);
    expect(su[0]!.sql).to.equal(
      'create function "crmp"."moddatetime_wrapper"() returns trigger language c volatile as \'$libdir/moddatetime\', \'moddatetime\'',
    );
  });

  it('names every constraint and index explicitly', () => {
    const ddl = renderModelDdl(crmp, 'x');
    for (const s of ddl.filter((d) => d.phase === 'tables')) {
      const constraints = s.sql.match(/constraint "[^"]+" (primary key|unique|check)/g) ?? [];
      const keywords = s.sql.match(/(primary key|unique \(|check \()/g) ?? [];
      expect(constraints.length, s.object).to.equal(keywords.length);
    }
    expect(ddl.filter((d) => d.phase === 'indexes').every((d) => /^create (unique )?index "[a-z_]+" on /.test(d.sql))).to.equal(true);
  });
});

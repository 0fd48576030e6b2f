import { expect } from 'chai';
import { adoptEquivalentTexts, textualDifferences } from '../../../src/diff/definition-differences';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { col, constraint, snapshot, table, view } from './snapshot-literals';

describe('definitions that differ only as text', function () {
  const side = (check: string, query: string, dflt: string) =>
    snapshot({
      tables: [table('t', [col('a', 'integer', { default: dflt })], { constraints: [constraint('t_a_check', 'check', check, ['a'])] })],
      views: [view('v', query, [['a', 'integer']])],
    });
  const from = side('CHECK ((a > 0))', ' SELECT t.a FROM t;', '(1 + 1)');
  const to = side('CHECK ((0 < a))', ' SELECT a FROM t;', '2');

  it('lists the texts a round trip could make equal', function () {
    expect(textualDifferences(from, to).map((d) => [d.kind, d.key, d.from, d.to])).to.deep.equal([
      ['default', 'default:"t"."a"', '(1 + 1)', '2'],
      ['check', 'constraint:"t"."t_a_check"', 'CHECK ((a > 0))', 'CHECK ((0 < a))'],
      ['view', 'view:"v"', ' SELECT t.a FROM t;', ' SELECT a FROM t;'],
    ]);
    expect(textualDifferences(to, to)).to.deep.equal([]);
  });

  it('takes the target text where the normal forms agree, and leaves the rest to the diff', function () {
    // a normaliser that knows the view and the default are the same, but not the check
    const normal = new Map([
      [' SELECT t.a FROM t;', 'SELECT a FROM t'],
      [' SELECT a FROM t;', 'SELECT a FROM t'],
      ['(1 + 1)', '2'],
    ]);
    const normalize = (_kind: string, text: string) => normal.get(text) ?? text;
    const adopted = adoptEquivalentTexts(from, to, normalize);
    expect(adopted.views[0]!.definition).to.equal(' SELECT a FROM t;');
    expect(adopted.tables[0]!.columns[0]!.default).to.equal('2');
    expect(adopted.tables[0]!.constraints[0]!.definition).to.equal('CHECK ((a > 0))');
    expect(diffSnapshots(from, to, { normalize }).map((o) => o.kind)).to.deep.equal(['dropConstraint', 'addConstraint']);
    expect(diffSnapshots(from, to).map((o) => o.kind)).to.have.members(['dropConstraint', 'addConstraint', 'setColumnDefault', 'replaceView']);
  });
});

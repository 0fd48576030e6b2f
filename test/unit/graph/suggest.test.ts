import { expect } from 'chai';
import { ResolutionError, revision } from '../../../src/graph';
import { closestMatches, editDistance } from '../../../src/graph/suggest';
import { branched, build, thrown } from './fixtures';

describe('graph/suggest: did you mean', () => {
  it('counts inserts, deletes, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('head', 'head')).to.equal(0);
    expect(editDistance('haed', 'head')).to.equal(1);
    expect(editDistance('hea', 'head')).to.equal(1);
    expect(editDistance('heads', 'head')).to.equal(1);
    expect(editDistance('hxad', 'head')).to.equal(1);
    expect(editDistance('', 'base')).to.equal(4);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
  });

  it('suggests the nearest candidates only, and nothing when all are far', () => {
    expect(closestMatches('haed', ['head', 'heads', 'base'])).to.deep.equal(['head']);
    expect(closestMatches('bsae', ['head', 'heads', 'base'])).to.deep.equal(['base']);
    expect(closestMatches('haeds', ['head', 'heads', 'base'])).to.deep.equal(['heads']);
    expect(closestMatches('zzzz', ['head', 'heads', 'base'])).to.deep.equal([]);
    expect(closestMatches('', ['head'])).to.deep.equal([]);
  });

  it('compares revision ids by the prefix the user typed', () => {
    expect(closestMatches('aaac0', [], ['aaab00000002', 'ffff00000009'])).to.deep.equal(['aaab00000002']);
    expect(closestMatches('aaab00000003', [], ['aaab00000002'])).to.deep.equal(['aaab00000002']);
  });
});

describe('graph/resolve: an unknown target suggests the nearest name', () => {
  const g = build([...branched(), revision({ id: '1a2b3c4d5e6f', down: ['cart2', 'user2'] })]);

  it('suggests head for haed, a branch label for a typo in it, a revision id for a mistyped prefix', () => {
    const cases: Array<[string, string]> = [
      ['haed', '"head"'],
      ['crat', '"cart"'],
      ['1a2c3c', '"1a2b3c4d5e6f"'],
      ['cart@haed', '"cart@head"'],
      ['crat@head', '"cart@head"'],
    ];
    for (const [arg, suggestion] of cases) {
      const e = thrown(() => g.resolve(arg)) as ResolutionError;
      expect(e, arg).to.be.instanceOf(ResolutionError);
      expect(e.message, arg).to.match(/^Cannot resolve "[^"]+": no revision id, id prefix or branch label (on branch "cart" )?matches "[^"]+"; /);
      expect(e.message, arg).to.include(`; did you mean ${suggestion}? ("migrate history" lists revisions).`);
      expect(e.suggestions).to.have.length(1);
    }
  });

  it('names the argument as typed', () => {
    expect(thrown(() => g.resolve('haed')).message).to.equal(
      'Cannot resolve "haed": no revision id, id prefix or branch label matches "haed"; did you mean "head"? ("migrate history" lists revisions).',
    );
  });

  it('says what the forms are when nothing is near', () => {
    const e = thrown(() => g.resolve('zzzzzz')) as ResolutionError;
    expect(e.suggestions).to.deep.equal([]);
    expect(e.message).to.include('use a revision id or unique prefix, a branch label, "head", "heads" or "base"');
  });
});

import { expect } from 'chai';
import { AmbiguousRevisionError, MultipleHeadsError, RelativeStepError, ResolutionError, revision } from '../../../src/graph';
import { branched, build, linear, merged, thrown } from './fixtures';

describe('graph/resolve: absolute targets', () => {
  const line = build(linear());
  const branchy = build(branched());

  it('resolves head, heads and base', () => {
    expect(line.resolve('head')).to.deep.equal(['cc04']);
    expect(line.resolve('heads')).to.deep.equal(['cc04']);
    expect(line.resolve('base')).to.deep.equal([]);
    expect(branchy.resolve('heads')).to.deep.equal(['cart2', 'user2']);
    expect(line.resolve('  head ')).to.deep.equal(['cc04']);
  });

  it('refuses "head" when there are several, listing them and what to do', () => {
    const e = thrown(() => branchy.resolve('head'));
    expect(e).to.be.instanceOf(MultipleHeadsError);
    expect((e as MultipleHeadsError).code).to.equal('MULTIPLE_HEADS');
    expect((e as MultipleHeadsError).heads).to.deep.equal(['cart2', 'user2']);
    expect(e.message).to.equal('Multiple heads (cart2, user2): name one, use "heads", or merge them with "migrate merge".');

    const g = build([revision({ id: 'a1b2c3d4e5f6' }), revision({ id: '0f9e8d7c6b5a' })]);
    expect(thrown(() => g.resolve('head')).message).to.equal(
      `Multiple heads (${g.heads.join(', ')}): name one, use "heads", or merge them with "migrate merge".`,
    );
  });

  it('resolves full ids and unique prefixes of any length', () => {
    expect(line.resolve('bb03')).to.deep.equal(['bb03']);
    expect(line.resolve('b')).to.deep.equal(['bb03']);
    expect(line.resolve('cc')).to.deep.equal(['cc04']);
    expect(line.resolve('aa01')).to.deep.equal(['aa01']);
  });

  it('refuses an ambiguous prefix, listing the candidates', () => {
    for (const prefix of ['a', 'aa', 'aa0']) {
      const e = thrown(() => line.resolve(prefix));
      expect(e).to.be.instanceOf(AmbiguousRevisionError);
      const err = e as AmbiguousRevisionError;
      expect(err.code).to.equal('AMBIGUOUS_REVISION');
      expect(err.argument).to.equal(prefix);
      expect(err.candidates).to.deep.equal(['aa01', 'aa02']);
      expect(err.message).to.include('aa01, aa02');
    }
  });

  it('refuses what matches nothing', () => {
    for (const arg of ['zz', '', 'nope@head', 'cart@', '@head', 'heads+1', 'bp2@base', 'cart@zz']) {
      const e = thrown(() => branchy.resolve(arg));
      expect(e, arg).to.be.instanceOf(ResolutionError);
      expect((e as ResolutionError).code).to.equal('UNKNOWN_REVISION');
      expect(e.message).to.not.include('\n');
    }
    expect((thrown(() => branchy.resolve('zz')) as ResolutionError).argument).to.equal('zz');
  });

  it('resolves a branch label to the revision that declares it', () => {
    expect(branchy.resolve('cart')).to.deep.equal(['cart1']);
    expect(branchy.resolve('user')).to.deep.equal(['user1']);
  });

  it('resolves <branch>@head, <branch>@heads and <rev>@head', () => {
    expect(branchy.resolve('cart@head')).to.deep.equal(['cart2']);
    expect(branchy.resolve('user@heads')).to.deep.equal(['user2']);
    expect(branchy.resolve('cart1@head')).to.deep.equal(['cart2']);
    expect(branchy.resolve('trunk1@heads')).to.deep.equal(['cart2', 'user2']);
    const e = thrown(() => branchy.resolve('trunk@head'.replace('trunk', 'trunk1')));
    expect(e).to.be.instanceOf(MultipleHeadsError);
    expect(e.message).to.match(/^Revision trunk1 has multiple heads \(cart2, user2\)/);
    // Once merged, both labels lead to the merge's successor.
    expect(build(merged()).resolve('cart@head')).to.deep.equal(['after1']);
  });

  it('resolves <branch>@<rev> within the branch only', () => {
    expect(branchy.resolve('cart@cart2')).to.deep.equal(['cart2']);
    expect((thrown(() => branchy.resolve('cart@c')) as AmbiguousRevisionError).candidates).to.deep.equal(['cart1', 'cart2']);
    // "cart" is also a prefix of cart1 and cart2, but an exact label wins over prefixes.
    expect(branchy.resolve('cart')).to.deep.equal(['cart1']);
    const forked = build([
      revision({ id: 'r0' }),
      revision({ id: 'a1', down: 'r0', branchLabels: ['x'] }),
      revision({ id: 'a2', down: 'r0', branchLabels: ['y'] }),
    ]);
    expect(thrown(() => forked.resolve('a'))).to.be.instanceOf(AmbiguousRevisionError);
    expect(forked.resolve('x@a')).to.deep.equal(['a1']);
    expect(forked.resolve('y@a')).to.deep.equal(['a2']);
    const e = thrown(() => branchy.resolve('cart@user1'));
    expect(e).to.be.instanceOf(ResolutionError);
    expect(e.message).to.include('not on branch "cart"');
  });

  it('resolves <branch>@base to an empty target scoped to the branch', () => {
    expect(branchy.resolveTarget('cart@base')).to.deep.equal({ argument: 'cart@base', ids: [], branchBase: 'cart' });
    expect(branchy.resolve('cart@base')).to.deep.equal([]);
  });
});

describe('graph/resolve: relative targets', () => {
  const line = build(linear());
  const branchy = build(branched());
  const mergedGraph = build(merged());

  it('steps from the current head with +N and -N', () => {
    expect(line.resolve('+1', ['aa01'])).to.deep.equal(['aa02']);
    expect(line.resolve('+3', ['aa01'])).to.deep.equal(['cc04']);
    expect(line.resolve('-1', ['cc04'])).to.deep.equal(['bb03']);
    expect(line.resolve('-3', ['cc04'])).to.deep.equal(['aa01']);
    expect(line.resolve('-4', ['cc04'])).to.deep.equal([]);
    expect(line.resolve('+1', [])).to.deep.equal(['aa01']);
    expect(line.resolve('+2', [])).to.deep.equal(['aa02']);
  });

  it('steps from a named revision, head or base', () => {
    expect(line.resolve('aa01+2')).to.deep.equal(['bb03']);
    expect(line.resolve('cc04-2')).to.deep.equal(['aa02']);
    expect(line.resolve('b+1')).to.deep.equal(['cc04']);
    expect(line.resolve('head-1')).to.deep.equal(['bb03']);
    expect(line.resolve('base+1')).to.deep.equal(['aa01']);
    expect(branchy.resolve('cart+1')).to.deep.equal(['cart2']);
  });

  it('refuses steps past either end', () => {
    const up = thrown(() => line.resolve('+2', ['bb03']));
    expect(up).to.be.instanceOf(RelativeStepError);
    expect((up as RelativeStepError).code).to.equal('RELATIVE_STEP');
    expect(up.message).to.include('only 1 revision above the current head bb03');
    const down = thrown(() => line.resolve('-5', ['cc04']));
    expect(down).to.be.instanceOf(RelativeStepError);
    expect(down.message).to.include('cc04 is only 4 steps above base');
    expect(thrown(() => line.resolve('-1', []))).to.be.instanceOf(RelativeStepError);
    expect(thrown(() => line.resolve('base-1'))).to.be.instanceOf(RelativeStepError);
  });

  it('refuses to walk up through a branch point, listing the children', () => {
    const e = thrown(() => branchy.resolve('+2', ['trunk1'])) as RelativeStepError;
    expect(e).to.be.instanceOf(RelativeStepError);
    expect(e.choices).to.deep.equal(['cart1', 'user1']);
    expect(e.message).to.include('bp2 is a branch point with children cart1, user1');
    expect((thrown(() => branchy.resolve('bp2+1')) as RelativeStepError).choices).to.deep.equal(['cart1', 'user1']);
  });

  it('refuses to walk down through a merge point, listing its parents', () => {
    const e = thrown(() => mergedGraph.resolve('-2', ['after1'])) as RelativeStepError;
    expect(e).to.be.instanceOf(RelativeStepError);
    expect(e.choices).to.deep.equal(['cart2', 'user2']);
    expect(mergedGraph.resolve('-1', ['after1'])).to.deep.equal(['m1']);
  });

  it('refuses +N/-N from several current heads, and without current heads', () => {
    const several = thrown(() => branchy.resolve('-1', ['cart2', 'user2'])) as RelativeStepError;
    expect(several).to.be.instanceOf(RelativeStepError);
    expect(several.choices).to.deep.equal(['cart2', 'user2']);
    expect(several.message).to.include('<branch>@-N');
    expect(thrown(() => branchy.resolve('+1'))).to.be.instanceOf(RelativeStepError);
    // A current head below another is not a second position.
    expect(branchy.resolve('-1', ['cart1', 'cart2'])).to.deep.equal(['cart1']);
  });

  it('reports a current head that the graph does not know', () => {
    const e = thrown(() => line.resolve('-1', ['dead00']));
    expect(e).to.be.instanceOf(ResolutionError);
    expect((e as ResolutionError).argument).to.equal('dead00');
  });

  it('steps along one branch with <branch>@+N and <branch>@-N', () => {
    // Nothing on "cart" applied yet: +1 is its first revision, even above a branch point.
    expect(branchy.resolve('cart@+1', ['bp2'])).to.deep.equal(['cart1']);
    expect(branchy.resolve('cart@+2', ['bp2'])).to.deep.equal(['cart2']);
    expect(branchy.resolve('user@+1', ['cart2'])).to.deep.equal(['user1']);
    expect(branchy.resolve('cart@-1', ['cart2', 'user2'])).to.deep.equal(['cart1']);
    expect(branchy.resolve('user@-2', ['cart2', 'user2'])).to.deep.equal(['bp2']);
    expect(branchy.resolve('cart@+1', ['cart1', 'user2'])).to.deep.equal(['cart2']);
    expect(branchy.resolve('cart@cart1+1')).to.deep.equal(['cart2']);
    expect(branchy.resolve('trunk1@+1', ['base0'])).to.deep.equal(['trunk1']);
    const none = thrown(() => branchy.resolve('cart@-1', ['user2']));
    expect(none).to.be.instanceOf(RelativeStepError);
    expect(none.message).to.include('nothing on branch "cart" is applied');
    const past = thrown(() => branchy.resolve('cart@+3', ['bp2']));
    expect(past).to.be.instanceOf(RelativeStepError);
  });

  it('walks down a merge along the branch it is asked about', () => {
    expect(mergedGraph.resolve('cart@-2', ['after1'])).to.deep.equal(['cart2']);
    expect(mergedGraph.resolve('user@-2', ['after1'])).to.deep.equal(['user2']);
  });
});

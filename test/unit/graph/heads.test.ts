import { expect } from 'chai';
import { NothingToMergeError, ResolutionError, RevisionRangeError, type RevisionGraph, type Step } from '../../../src/graph';
import { branched, build, ids, linear, merged, tangled, thrown, withDependencies } from './fixtures';

const up = (g: RevisionGraph, id: string): Step => ({ revision: g.get(id)!, direction: 'up' });
const down = (g: RevisionGraph, id: string): Step => ({ revision: g.get(id)!, direction: 'down' });

describe('graph/nextHeads', () => {
  const g = build(merged());

  it('replaces the down revision when upgrading, and the revision when downgrading', () => {
    expect(g.nextHeads(['trunk1'], up(g, 'bp2'))).to.deep.equal(['bp2']);
    expect(g.nextHeads(['bp2'], down(g, 'bp2'))).to.deep.equal(['trunk1']);
    expect(g.nextHeads([], up(g, 'base0'))).to.deep.equal(['base0']);
    expect(g.nextHeads(['base0'], down(g, 'base0'))).to.deep.equal([]);
  });

  it('adds a second head when a branch starts beside another', () => {
    expect(g.nextHeads(['cart2'], up(g, 'user1'))).to.deep.equal(['cart2', 'user1']);
    // bp2 is not restored: cart2 still stands on it.
    expect(g.nextHeads(['cart2', 'user1'], down(g, 'user1'))).to.deep.equal(['cart2']);
  });

  it('merges two heads into one and splits them again', () => {
    expect(g.nextHeads(['cart2', 'user2'], up(g, 'm1'))).to.deep.equal(['m1']);
    expect(g.nextHeads(['m1'], down(g, 'm1'))).to.deep.equal(['cart2', 'user2']);
  });

  it('treats dependsOn like a down revision, as Alembic does', () => {
    const d = build(withDependencies());
    expect(d.nextHeads(['acc2', 'bill1'], up(d, 'bill2'))).to.deep.equal(['bill2']);
    expect(d.nextHeads(['bill2'], down(d, 'bill2'))).to.deep.equal(['acc2', 'bill1']);
    // A base revision with a dependency brings the dependency back when removed.
    const t = build(tangled());
    expect(t.nextHeads(['s0', 'y1'], up(t, 's1'))).to.deep.equal(['s1']);
    expect(t.nextHeads(['s1'], down(t, 's1'))).to.deep.equal(['y1', 's0']);
  });

  it('leaves heads alone for a step that changes nothing', () => {
    expect(g.nextHeads(['after1'], up(g, 'cart1'))).to.deep.equal(['after1']);
    expect(g.nextHeads(['cart2'], down(g, 'user2'))).to.deep.equal(['cart2']);
  });

  it('refuses unknown revisions', () => {
    expect(thrown(() => g.nextHeads(['zz'], up(g, 'base0')))).to.be.instanceOf(ResolutionError);
    const stranger: Step = { revision: { ...g.get('base0')!, id: 'zz' }, direction: 'up' };
    expect(thrown(() => g.nextHeads([], stranger))).to.be.instanceOf(ResolutionError);
  });
});

describe('graph/headsFor', () => {
  it('drops stamp targets that are below other targets', () => {
    const g = build(branched());
    expect(g.headsFor(['base0', 'cart2', 'cart1', 'user1'])).to.deep.equal(['cart2', 'user1']);
    expect(g.headsFor(['cart2', 'cart2'])).to.deep.equal(['cart2']);
    expect(g.headsFor([])).to.deep.equal([]);
    const d = build(withDependencies());
    expect(d.headsFor(['acc2', 'bill2'])).to.deep.equal(['bill2']);
    expect(thrown(() => g.headsFor(['zz']))).to.be.instanceOf(ResolutionError);
  });
});

describe('graph/mergeParents', () => {
  it('returns the heads when there are several', () => {
    expect(build(branched()).mergeParents()).to.deep.equal(['cart2', 'user2']);
    expect(build(branched()).mergeParents(['cart@head', 'user1'])).to.deep.equal(['cart2', 'user1']);
  });

  it('refuses to merge a single head', () => {
    const e = thrown(() => build(linear()).mergeParents());
    expect(e).to.be.instanceOf(NothingToMergeError);
    expect((e as NothingToMergeError).code).to.equal('NOTHING_TO_MERGE');
    expect((e as NothingToMergeError).heads).to.deep.equal(['cc04']);
    expect(e.message).to.include('cc04');
    expect(thrown(() => build(branched()).mergeParents(['cart2', 'cart1']))).to.be.instanceOf(NothingToMergeError);
  });
});

describe('graph/walk', () => {
  it('walks newest first between two revisions, both included', () => {
    const g = build(linear());
    expect(ids(g.walk())).to.deep.equal(['cc04', 'bb03', 'aa02', 'aa01']);
    expect(ids(g.walk('bb03', 'aa02'))).to.deep.equal(['bb03', 'aa02']);
    expect(ids(g.walk('head', 'base'))).to.deep.equal(['cc04', 'bb03', 'aa02', 'aa01']);
    expect(ids(g.walk(undefined, 'bb03'))).to.deep.equal(['cc04', 'bb03']);
    expect(ids(g.walk('-1', undefined, { currentHeads: ['cc04'] }))).to.deep.equal(['bb03', 'aa02', 'aa01']);
  });

  it('walks one branch, or everything above a branch point', () => {
    const g = build(branched());
    expect(ids(g.walk('cart2'))).to.deep.equal(['cart2', 'cart1', 'bp2', 'trunk1', 'base0']);
    expect(ids(g.walk(undefined, 'bp2'))).to.deep.equal(['user2', 'user1', 'cart2', 'cart1', 'bp2']);
  });

  it('refuses a range whose lower end is not below its upper end', () => {
    const e = thrown(() => build(linear()).walk('aa02', 'bb03'));
    expect(e).to.be.instanceOf(RevisionRangeError);
    expect((e as RevisionRangeError).code).to.equal('INVALID_RANGE');
    expect((e as RevisionRangeError).lower).to.deep.equal(['bb03']);
    expect(thrown(() => build(branched()).walk('cart2', 'user1'))).to.be.instanceOf(RevisionRangeError);
  });
});

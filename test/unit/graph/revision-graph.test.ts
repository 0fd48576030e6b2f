import { expect } from 'chai';
import { GraphError, RetortError } from '../../../src/errors';
import {
  CycleError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidRevisionError,
  MissingDependencyError,
  MissingDownRevisionError,
  ResolutionError,
  RevisionGraph,
  revision,
} from '../../../src/graph';
import { branched, build, linear, merged, tangled, thrown, withDependencies } from './fixtures';

function expectGraphError(error: Error, type: new (...args: never[]) => GraphError, code: string): void {
  expect(error).to.be.instanceOf(type);
  expect(error).to.be.instanceOf(GraphError);
  expect(error).to.be.instanceOf(RetortError);
  expect((error as GraphError).code).to.equal(code);
  expect(error.message).to.not.include('\n');
}

describe('graph/RevisionGraph.build: validation', () => {
  it('rejects a duplicate id and lists every file that defines it', () => {
    const e = thrown(() =>
      build([revision({ id: 'a1', source: 'revisions/a1_one.ts' }), revision({ id: 'b2', down: 'a1' }), revision({ id: 'a1', source: 'revisions/a1_two.ts' })]),
    );
    expectGraphError(e, DuplicateRevisionError, 'DUPLICATE_REVISION');
    const err = e as DuplicateRevisionError;
    expect(err.id).to.equal('a1');
    expect(err.sources).to.deep.equal(['revisions/a1_one.ts', 'revisions/a1_two.ts']);
    expect(err.message).to.include('revisions/a1_one.ts').and.include('revisions/a1_two.ts').and.include('new revision id');
  });

  it('rejects a missing down revision, naming the revision, its file and the missing id', () => {
    const e = thrown(() => build([revision({ id: 'a1' }), revision({ id: 'b2', down: 'zz9', source: 'revisions/b2_x.ts' })]));
    expectGraphError(e, MissingDownRevisionError, 'MISSING_DOWN_REVISION');
    const err = e as MissingDownRevisionError;
    expect([err.id, err.missing, err.source]).to.deep.equal(['b2', 'zz9', 'revisions/b2_x.ts']);
    expect(err.message).to.include('b2').and.include('zz9').and.include('revisions/b2_x.ts');
  });

  it('rejects a dependsOn that names neither a revision nor a label', () => {
    const e = thrown(() => build([revision({ id: 'a1' }), revision({ id: 'b2', down: 'a1', dependsOn: ['nope'] })]));
    expectGraphError(e, MissingDependencyError, 'MISSING_DEPENDENCY');
    expect((e as MissingDependencyError).missing).to.equal('nope');
    expect((e as MissingDependencyError).id).to.equal('b2');
  });

  it('rejects cycles: a self reference, a loop of down revisions and a loop through dependsOn', () => {
    const self = thrown(() => build([revision({ id: 'a1', down: 'a1' })]));
    expectGraphError(self, CycleError, 'REVISION_CYCLE');
    expect((self as CycleError).ids).to.deep.equal(['a1', 'a1']);

    const loop = thrown(() =>
      build([revision({ id: 'base' + 'x' }), revision({ id: 'p1', down: 'p3' }), revision({ id: 'p2', down: 'p1' }), revision({ id: 'p3', down: 'p2' })]),
    );
    expectGraphError(loop, CycleError, 'REVISION_CYCLE');
    const ids = (loop as CycleError).ids;
    expect(ids[0]).to.equal(ids[ids.length - 1]);
    expect([...ids.slice(1)].sort()).to.deep.equal(['p1', 'p2', 'p3']);
    expect(loop.message).to.include('->');

    const viaDeps = thrown(() => build([revision({ id: 'a1', dependsOn: ['b1'] }), revision({ id: 'b1', down: 'a1' })]));
    expectGraphError(viaDeps, CycleError, 'REVISION_CYCLE');
    expect([...(viaDeps as CycleError).ids].sort()).to.deep.equal(['a1', 'a1', 'b1']);
  });

  it('rejects a branch label declared twice or equal to a revision id', () => {
    const twice = thrown(() => build([revision({ id: 'a1', branchLabels: ['cart'] }), revision({ id: 'b1', branchLabels: ['cart'] })]));
    expectGraphError(twice, DuplicateBranchLabelError, 'DUPLICATE_BRANCH_LABEL');
    expect((twice as DuplicateBranchLabelError).label).to.equal('cart');
    expect((twice as DuplicateBranchLabelError).ids).to.deep.equal(['a1', 'b1']);

    const clash = thrown(() => build([revision({ id: 'a1' }), revision({ id: 'b1', branchLabels: ['a1'] })]));
    expectGraphError(clash, DuplicateBranchLabelError, 'DUPLICATE_BRANCH_LABEL');
    expect(clash.message).to.include('also a revision id');
  });

  it('rejects ids and labels that targets could not parse', () => {
    for (const id of ['a@b', 'a+1', 'a-b', 'a b', 'head', 'heads', 'base', '']) {
      const e = thrown(() => build([revision({ id })]));
      expectGraphError(e, InvalidRevisionError, 'INVALID_REVISION');
      expect((e as InvalidRevisionError).id).to.equal(id);
    }
    for (const label of ['x@y', 'head', 'two words']) {
      const e = thrown(() => build([revision({ id: 'a1', branchLabels: [label] })]));
      expectGraphError(e, InvalidRevisionError, 'INVALID_REVISION');
    }
    // Dashes are fine in labels; only ids must avoid them.
    expect(build([revision({ id: 'a1', branchLabels: ['my-branch'] })]).branchLabels.get('my-branch')).to.equal('a1');
  });

  it('builds an empty graph', () => {
    const g = RevisionGraph.build([]);
    expect(g.size).to.equal(0);
    expect(g.heads).to.deep.equal([]);
    expect(g.resolve('head')).to.deep.equal([]);
    expect(g.planUpgrade([], 'heads')).to.deep.equal([]);
  });
});

describe('graph/RevisionGraph: queries', () => {
  it('orders a linear chain base first and finds its single head and base', () => {
    const g = build(linear());
    expect(g.revisions.map((r) => r.id)).to.deep.equal(['aa01', 'aa02', 'bb03', 'cc04']);
    expect(g.heads).to.deep.equal(['cc04']);
    expect(g.bases).to.deep.equal(['aa01']);
    expect(g.branchPoints).to.deep.equal([]);
    expect(g.get('bb03')?.message).to.equal('add index');
    expect(g.get('nope')).to.equal(undefined);
    expect(g.has('aa01')).to.equal(true);
  });

  it('lists a branch to its end before the next, whatever the input order', () => {
    const expected = ['base0', 'trunk1', 'bp2', 'cart1', 'cart2', 'user1', 'user2'];
    expect(build(branched()).revisions.map((r) => r.id)).to.deep.equal(expected);
    expect(build([...branched()].reverse()).revisions.map((r) => r.id)).to.deep.equal(expected);
    const shuffled = branched();
    shuffled.push(shuffled.shift()!, shuffled.shift()!);
    expect(build(shuffled).revisions.map((r) => r.id)).to.deep.equal(expected);
  });

  it('finds heads, bases, branch points and children of a branched graph', () => {
    const g = build(branched());
    expect(g.heads).to.deep.equal(['cart2', 'user2']);
    expect(g.bases).to.deep.equal(['base0']);
    expect(g.branchPoints).to.deep.equal(['bp2']);
    expect(g.childrenOf('bp2')).to.deep.equal(['cart1', 'user1']);
    expect(g.childrenOf('cart2')).to.deep.equal([]);
    expect(thrown(() => g.childrenOf('nope'))).to.be.instanceOf(ResolutionError);
  });

  it('computes ancestors and descendants, exclusive by default', () => {
    const g = build(merged());
    expect(g.ancestors('cart2')).to.deep.equal(['base0', 'trunk1', 'bp2', 'cart1']);
    expect(g.ancestors(['cart2'], { inclusive: true })).to.deep.equal(['base0', 'trunk1', 'bp2', 'cart1', 'cart2']);
    expect(g.ancestors(['cart1', 'user1'])).to.deep.equal(['base0', 'trunk1', 'bp2']);
    expect(g.descendants('user1')).to.deep.equal(['user2', 'm1', 'after1']);
    expect(g.descendants('bp2', { inclusive: true })).to.have.length(7);
    expect(g.isAncestorOrSelf('cart1', 'after1')).to.equal(true);
    expect(g.isAncestorOrSelf('cart1', 'user2')).to.equal(false);
    expect(g.isAncestorOrSelf('m1', 'm1')).to.equal(true);
  });

  it('counts dependsOn for ordering and ancestry but not for children and heads', () => {
    const g = build(withDependencies());
    expect(g.revisions.map((r) => r.id)).to.deep.equal(['acc1', 'acc2', 'bill1', 'bill2', 'bill3']);
    expect(g.heads).to.deep.equal(['acc2', 'bill3']);
    expect(g.bases).to.deep.equal(['acc1', 'bill1']);
    expect(g.childrenOf('acc2')).to.deep.equal([]);
    expect(g.ancestors('bill2')).to.deep.equal(['acc1', 'acc2', 'bill1']);
    expect(g.descendants('acc1')).to.deep.equal(['acc2', 'bill2', 'bill3']);
    expect(g.dependenciesOf('bill2')).to.deep.equal(['acc2']);
    // A dependency on a label means the revision that declares it.
    expect(g.dependenciesOf('bill3')).to.deep.equal(['acc1']);
  });

  it('orders revisions so that every dependency comes first', () => {
    const g = build(tangled());
    const position = new Map(g.revisions.map((r, i) => [r.id, i]));
    for (const r of g.revisions) {
      for (const p of [...r.downRevisions, ...r.dependsOn]) expect(position.get(p)!).to.be.lessThan(position.get(r.id)!);
    }
  });

  it('spreads a branch label over its chain, as Alembic does', () => {
    const g = build(merged());
    expect(g.branchLabelsOf('cart1')).to.deep.equal(['cart']);
    expect(g.branchLabelsOf('cart2')).to.deep.equal(['cart']);
    expect(g.branchLabelsOf('bp2')).to.deep.equal([]);
    expect(g.branchLabelsOf('after1')).to.deep.equal(['cart', 'user']);
    expect([...g.branchLabels]).to.deep.equal([
      ['cart', 'cart1'],
      ['user', 'user1'],
    ]);
    // Down a plain chain the label reaches the base.
    const chain = build([revision({ id: 'a1' }), revision({ id: 'b2', down: 'a1' }), revision({ id: 'c3', down: 'b2', branchLabels: ['main'] })]);
    expect(chain.branchLabelsOf('a1')).to.deep.equal(['main']);
  });
});

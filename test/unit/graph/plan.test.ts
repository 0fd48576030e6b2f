import { expect } from 'chai';
import { DowngradeTargetError, ResolutionError, UpgradeTargetError, type RevisionGraph } from '../../../src/graph';
import { applySteps, branched, build, ids, linear, merged, tangled, thrown, withDependencies } from './fixtures';

/** Every revision a set of heads stands for. */
const appliedBy = (g: RevisionGraph, heads: readonly string[]): string[] => g.ancestors(heads, { inclusive: true });

describe('graph/planUpgrade', () => {
  it('plans a linear chain from nothing, from the middle, and by relative steps', () => {
    const g = build(linear());
    expect(ids(g.planUpgrade([], 'head'))).to.deep.equal(['aa01', 'aa02', 'bb03', 'cc04']);
    expect(ids(g.planUpgrade(['aa02'], 'head'))).to.deep.equal(['bb03', 'cc04']);
    expect(ids(g.planUpgrade(['aa01'], '+2'))).to.deep.equal(['aa02', 'bb03']);
    expect(ids(g.planUpgrade([], 'b'))).to.deep.equal(['aa01', 'aa02', 'bb03']);
    expect(g.planUpgrade([], 'head').every((s) => s.direction === 'up')).to.equal(true);
  });

  it('gives an empty plan for a target that is already applied', () => {
    const g = build(linear());
    expect(g.planUpgrade(['cc04'], 'head')).to.deep.equal([]);
    expect(g.planUpgrade(['cc04'], 'aa02')).to.deep.equal([]);
    expect(g.planUpgrade(['cc04'], 'base')).to.deep.equal([]);
  });

  it('the upgrade command refuses a target below the heads, as Alembic does, but not the heads themselves', () => {
    const g = build(linear());
    const e = thrown(() => g.checkUpgradeTarget(['cc04'], 'aa02'));
    expect(e).to.be.instanceOf(UpgradeTargetError);
    expect((e as UpgradeTargetError).message).to.equal(
      'Cannot upgrade to aa02: it is below the current heads (cc04), so an upgrade cannot reach it; use "downgrade aa02" to go back to it.',
    );
    expect(() => g.checkUpgradeTarget(['cc04'], 'head')).not.to.throw();
    expect(() => g.checkUpgradeTarget(['aa02'], 'cc04')).not.to.throw();
    expect(() => g.checkUpgradeTarget([], 'base')).not.to.throw();
    // another branch's revision is not below this one's head
    const b = build(branched());
    expect(() => b.checkUpgradeTarget(['cart2'], 'user2')).not.to.throw();
  });

  it('upgrades one branch, then the other, keeping both heads', () => {
    const g = build(branched());
    const cart = g.planUpgrade([], 'cart@head');
    expect(ids(cart)).to.deep.equal(['base0', 'trunk1', 'bp2', 'cart1', 'cart2']);
    const afterCart = applySteps(g, [], cart);
    expect(afterCart).to.deep.equal(['cart2']);
    const rest = g.planUpgrade(afterCart, 'heads');
    expect(ids(rest)).to.deep.equal(['user1', 'user2']);
    expect(applySteps(g, afterCart, rest)).to.deep.equal(['cart2', 'user2']);
  });

  it('upgrades through a merge', () => {
    const g = build(merged());
    const plan = g.planUpgrade(['cart2'], 'head');
    expect(ids(plan)).to.deep.equal(['user1', 'user2', 'm1', 'after1']);
    expect(applySteps(g, ['cart2'], plan)).to.deep.equal(['after1']);
  });

  it('pulls in dependsOn ancestors from other branches', () => {
    const g = build(withDependencies());
    const plan = g.planUpgrade([], 'bill2');
    expect(ids(plan)).to.deep.equal(['acc1', 'acc2', 'bill1', 'bill2']);
    expect(applySteps(g, [], plan)).to.deep.equal(['bill2']);
    expect(ids(g.planUpgrade(['acc2'], 'billing@head'))).to.deep.equal(['bill1', 'bill2', 'bill3']);
  });

  it('accepts exact id lists and resolved targets', () => {
    const g = build(branched());
    expect(ids(g.planUpgrade(['bp2'], ['user1', 'cart1']))).to.deep.equal(['cart1', 'user1']);
    expect(ids(g.planUpgrade([], g.resolveTarget('user')))).to.deep.equal(['base0', 'trunk1', 'bp2', 'user1']);
    expect(thrown(() => g.planUpgrade([], ['nope']))).to.be.instanceOf(ResolutionError);
    expect(thrown(() => g.planUpgrade(['nope'], 'heads'))).to.be.instanceOf(ResolutionError);
  });
});

describe('graph/planDowngrade', () => {
  it('plans a linear chain down to a revision, by -N, and to base, newest first', () => {
    const g = build(linear());
    expect(ids(g.planDowngrade(['cc04'], 'aa02'))).to.deep.equal(['cc04', 'bb03']);
    expect(ids(g.planDowngrade(['cc04'], '-1'))).to.deep.equal(['cc04']);
    const all = g.planDowngrade(['cc04'], 'base');
    expect(ids(all)).to.deep.equal(['cc04', 'bb03', 'aa02', 'aa01']);
    expect(all.every((s) => s.direction === 'down')).to.equal(true);
    expect(applySteps(g, ['cc04'], all)).to.deep.equal([]);
    expect(g.planDowngrade(['cc04'], 'cc04')).to.deep.equal([]);
    expect(g.planDowngrade([], 'base')).to.deep.equal([]);
  });

  it('refuses a target that is not applied', () => {
    const g = build(linear());
    for (const target of ['cc04', '+1', 'head']) {
      const e = thrown(() => g.planDowngrade(['bb03'], target));
      expect(e, target).to.be.instanceOf(DowngradeTargetError);
      const err = e as DowngradeTargetError;
      expect(err.code).to.equal('DOWNGRADE_TARGET');
      expect(err.target).to.deep.equal(['cc04']);
      expect(err.currentHeads).to.deep.equal(['bb03']);
      expect(err.message).to.include('cc04').and.include('bb03');
    }
    const onOtherBranch = thrown(() => build(branched()).planDowngrade(['cart2'], 'user1'));
    expect(onOtherBranch).to.be.instanceOf(DowngradeTargetError);
  });

  it('leaves branches that do not descend from the target', () => {
    const g = build(branched());
    const plan = g.planDowngrade(['cart2', 'user2'], 'cart1');
    expect(ids(plan)).to.deep.equal(['cart2']);
    expect(applySteps(g, ['cart2', 'user2'], plan)).to.deep.equal(['cart1', 'user2']);

    const both = g.planDowngrade(['cart2', 'user2'], 'bp2');
    expect(ids(both)).to.deep.equal(['user2', 'user1', 'cart2', 'cart1']);
    expect(applySteps(g, ['cart2', 'user2'], both)).to.deep.equal(['bp2']);
  });

  it('removes one branch with <label>@base and steps one branch with <label>@-N', () => {
    const g = build(branched());
    const plan = g.planDowngrade(['cart2', 'user2'], 'user@base');
    expect(ids(plan)).to.deep.equal(['user2', 'user1']);
    expect(applySteps(g, ['cart2', 'user2'], plan)).to.deep.equal(['cart2']);
    const step = g.planDowngrade(['cart2', 'user2'], 'user@-1');
    expect(ids(step)).to.deep.equal(['user2']);
    expect(applySteps(g, ['cart2', 'user2'], step)).to.deep.equal(['cart2', 'user1']);
  });

  it('unmerges: downgrading below one side of a merge keeps the other side', () => {
    const g = build(merged());
    const plan = g.planDowngrade(['after1'], 'cart2');
    expect(ids(plan)).to.deep.equal(['after1', 'm1']);
    expect(applySteps(g, ['after1'], plan)).to.deep.equal(['cart2', 'user2']);
    const toCart1 = g.planDowngrade(['after1'], 'cart1');
    expect(ids(toCart1)).to.deep.equal(['after1', 'm1', 'cart2']);
    expect(applySteps(g, ['after1'], toCart1)).to.deep.equal(['cart1', 'user2']);
  });

  it('removes dependants on other branches first', () => {
    const g = build(withDependencies());
    const plan = g.planDowngrade(['acc2', 'bill3'], 'acc1');
    expect(ids(plan)).to.deep.equal(['bill3', 'bill2', 'acc2']);
    expect(applySteps(g, ['acc2', 'bill3'], plan)).to.deep.equal(['acc1', 'bill1']);
    // Removing the "accounts" branch takes everything that depends on it.
    const accounts = g.planDowngrade(['bill3'], 'accounts@base');
    expect(ids(accounts)).to.deep.equal(['bill3', 'bill2', 'acc2', 'acc1']);
    expect(applySteps(g, ['bill3'], accounts)).to.deep.equal(['bill1']);
  });

  it('keeps what a second target needs', () => {
    const g = build(branched());
    const plan = g.planDowngrade(['cart2', 'user2'], ['cart1', 'user2']);
    expect(ids(plan)).to.deep.equal(['cart2']);
  });
});

describe('graph/plans and nextHeads agree on every pair of positions', () => {
  for (const [name, make] of [
    ['linear', linear],
    ['branched', branched],
    ['merged', merged],
    ['withDependencies', withDependencies],
    ['tangled', tangled],
  ] as const) {
    it(`${name}: upgrading then downgrading between any two revisions lands on the minimal heads`, () => {
      const g = build(make());
      const positions: string[][] = [[], [...g.heads], ...g.revisions.map((r) => [r.id])];
      for (const start of positions) {
        const current = g.headsFor(start);
        for (const r of g.revisions) {
          const up = g.planUpgrade(current, [r.id]);
          const afterUp = applySteps(g, current, up);
          const expectedUp = g.headsFor([...current, r.id]);
          expect(afterUp, `${start.join(',')} up to ${r.id}`).to.deep.equal(expectedUp);
          expect(appliedBy(g, afterUp)).to.deep.equal(appliedBy(g, [...current, r.id]));
          // Each step's parents were applied before it.
          let heads = current;
          for (const step of up) {
            const before = appliedBy(g, heads);
            for (const p of g.ancestors(step.revision.id)) expect(before).to.include(p);
            heads = g.nextHeads(heads, step);
          }

          if (!appliedBy(g, afterUp).includes(r.id)) continue;
          const down = g.planDowngrade(afterUp, [r.id]);
          const afterDown = applySteps(g, afterUp, down);
          const removed = new Set(ids(down));
          const remaining = appliedBy(g, afterUp).filter((id) => !removed.has(id));
          expect(afterDown, `${afterUp.join(',')} down to ${r.id}`).to.deep.equal(g.headsFor(remaining));
          expect(appliedBy(g, afterDown)).to.include(r.id);
          expect(g.descendants(r.id).filter((id) => appliedBy(g, afterDown).includes(id))).to.deep.equal([]);
        }
        const toBase = g.planDowngrade(current, 'base');
        expect(applySteps(g, current, toBase)).to.deep.equal([]);
      }
    });
  }
});

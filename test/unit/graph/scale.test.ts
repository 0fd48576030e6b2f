import { expect } from 'chai';
import { RevisionGraph, revision, type Revision } from '../../../src/graph';
import { applySteps } from './fixtures';

/** Twelve hex digits whose first five are the position, so a five-digit prefix is unique. */
const id = (i: number): string => `${i.toString(16).padStart(5, '0')}abcdef1`;

function chain(n: number): Revision[] {
  return Array.from({ length: n }, (_, i) => revision({ id: id(i), down: i === 0 ? null : id(i - 1) }));
}

describe('graph/large graphs', () => {
  it('builds, resolves and plans a 10,000-revision chain', () => {
    const n = 10_000;
    // Shuffled input must not change the result.
    const revs = chain(n).reverse();
    const g = RevisionGraph.build(revs);
    expect(g.size).to.equal(n);
    expect(g.heads).to.deep.equal([id(n - 1)]);
    expect(g.bases).to.deep.equal([id(0)]);
    expect(g.revisions.map((r) => r.id)).to.deep.equal(chain(n).map((r) => r.id));

    const up = g.planUpgrade([], 'head');
    expect(up.map((s) => s.revision.id)).to.deep.equal(chain(n).map((r) => r.id));
    expect(applySteps(g, [], up)).to.deep.equal([id(n - 1)]);

    expect(g.planUpgrade([id(n - 3)], 'heads').map((s) => s.revision.id)).to.deep.equal([id(n - 2), id(n - 1)]);
    expect(g.resolve('-5000', [id(n - 1)])).to.deep.equal([id(n - 5001)]);
    expect(g.resolve(id(1234).slice(0, 5))).to.deep.equal([id(1234)]);

    const down = g.planDowngrade([id(n - 1)], 'base');
    expect(down.map((s) => s.revision.id)).to.deep.equal(
      chain(n)
        .map((r) => r.id)
        .reverse(),
    );
    expect(applySteps(g, [id(n - 1)], down)).to.deep.equal([]);
    expect(g.planDowngrade([id(n - 1)], id(n - 101))).to.have.length(100);
    expect(g.ancestors(id(n - 1))).to.have.length(n - 1);
    expect(g.walk()).to.have.length(n);
  });

  it('plans a 10,000-revision braid of two branches merged every 10 revisions', () => {
    const revs: Revision[] = [revision({ id: 'root' })];
    let tip = 'root';
    let count = 1;
    for (let m = 0; count < 10_000; m++) {
      const left: string[] = [];
      const right: string[] = [];
      for (let k = 0; k < 4; k++) {
        left.push(`l${m}x${k}`);
        right.push(`q${m}x${k}`);
      }
      left.forEach((x, k) => revs.push(revision({ id: x, down: k === 0 ? tip : left[k - 1]! })));
      // The right side also depends on the left side's first revision.
      right.forEach((x, k) => revs.push(revision({ id: x, down: k === 0 ? tip : right[k - 1]!, dependsOn: k === 0 ? [left[0]!] : [] })));
      tip = `m${m}`;
      revs.push(revision({ id: tip, down: [left[3]!, right[3]!] }));
      revs.push(revision({ id: `t${m}`, down: tip }));
      tip = `t${m}`;
      count += 10;
    }
    const g = RevisionGraph.build(revs);
    expect(g.size).to.equal(revs.length);
    expect(g.heads).to.deep.equal([tip]);

    const up = g.planUpgrade([], 'head');
    expect(up).to.have.length(revs.length);
    const seen = new Set<string>();
    for (const step of up) {
      for (const p of [...step.revision.downRevisions, ...step.revision.dependsOn]) expect(seen.has(p)).to.equal(true);
      seen.add(step.revision.id);
    }
    expect(applySteps(g, [], up)).to.deep.equal([tip]);

    const down = g.planDowngrade([tip], 'base');
    expect(down).to.have.length(revs.length);
    expect(applySteps(g, [tip], down)).to.deep.equal([]);

    // Half way down the braid, both sides of the merge come back as heads.
    const half = g.planDowngrade([tip], 'l500x3');
    expect(applySteps(g, [tip], half)).to.deep.equal(['l500x3', 'q500x3']);
  });

  it('steps two independent 5,000-revision chains, one moving while the other stays', () => {
    const revs: Revision[] = [];
    for (const side of ['a', 'b']) {
      for (let i = 0; i < 5000; i++) revs.push(revision({ id: `${side}${i}`, down: i === 0 ? null : `${side}${i - 1}` }));
    }
    const g = RevisionGraph.build(revs);
    expect(g.heads).to.deep.equal(['a4999', 'b4999']);
    const up = g.planUpgrade([], 'heads');
    expect(up.map((s) => s.revision.id)).to.deep.equal(revs.map((r) => r.id));
    const heads = applySteps(g, [], up);
    expect(heads).to.deep.equal(['a4999', 'b4999']);
    const down = g.planDowngrade(heads, 'a0');
    expect(down).to.have.length(4999);
    expect(applySteps(g, heads, down)).to.deep.equal(['a0', 'b4999']);
    expect(g.resolve('a0@head')).to.deep.equal(['a4999']);
  });
});

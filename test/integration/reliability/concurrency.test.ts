import { expect } from 'chai';
import * as fs from 'node:fs';
import { createProject, runCli } from '../../support/cli';
import { query } from '../../support/database';
import { chain, expectClean, freshTarget, startCli } from './harness';

describe('reliability: many commands at once', function () {
  this.timeout(300_000);
  const t = freshTarget('many', { schema: false });

  it('16 concurrent upgrades of one target, one revision non-transactional: each revision runs once, all exit 0', async () => {
    await query(t.db.url, 'create schema crmp');
    const revisions = chain([{ id: 'cc000000001', then: 'select pg_sleep(0.5)' }, { id: 'cc000000002', nonTransactional: true }, { id: 'cc000000003' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    expect((await runCli(['history'], { cwd: project.dir })).code).to.equal(0);
    const runs = Array.from({ length: 16 }, () => startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, limitMs: 120_000 }));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).to.equal(0);
    const steps = results.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('Running upgrade')));
    expect(steps).to.have.length(3);
    const history = await query<{ revision: string }>(
      t.db.url,
      "select revision from crmp.alembic_version_history where direction = 'upgrade' order by applied_at",
    );
    expect(history.map((h) => h.revision)).to.deep.equal(['cc000000001', 'cc000000002', 'cc000000003']);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['cc000000003']);
  });

  it('16 schemas of one database upgrade in parallel without waiting for each other', async () => {
    const schemas = Array.from({ length: 16 }, (_, i) => `tenant_${i}`);
    await query(t.db.url, schemas.map((s) => `create schema ${s};`).join(' '));
    const revisions = chain([{ id: 'ps000000001', then: 'select pg_sleep(0.3)' }, { id: 'ps000000002' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    expect((await runCli(['history'], { cwd: project.dir })).code).to.equal(0);
    const runs = schemas.map((s) => startCli(['-x', 'db=dev', '-x', `schema=${s}`, 'upgrade', 'head'], { cwd: project.dir, limitMs: 120_000 }));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) {
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.not.match(/Waiting for the migration lock/);
    }
    for (const s of schemas) expect(await expectClean(t.db.url, s, revisions)).to.deep.equal(['ps000000002']);
  });

  it('upgrade racing downgrade: every run exits 0 and the target is always at one end, consistent', async () => {
    await query(t.db.url, 'create schema crmp');
    const revisions = chain([{ id: 'ud000000001', then: 'select pg_sleep(0.1)' }, { id: 'ud000000002', nonTransactional: true }, { id: 'ud000000003' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    expect((await runCli(['history'], { cwd: project.dir })).code).to.equal(0);
    for (let round = 0; round < 4; round++) {
      const up = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
      const down = startCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir });
      const [u, d] = await Promise.all([up.done, down.done]);
      expect(u.code, u.stderr).to.equal(0);
      expect(d.code, d.stderr).to.equal(0);
      const heads = await expectClean(t.db.url, 'crmp', revisions);
      expect([[], ['ud000000003']]).to.deep.include(heads);
    }
  });

  it('concurrent commands on a fresh local (embedded) database provision it without "tuple concurrently updated"', async function () {
    // Each round names a new schema, so every command of the round finds it missing and provisions.
    const project = (t.project = createProject({ labels: { local: 'embedded:./local' }, revisions: chain([{ id: 'lr000000001' }]) }));
    const cwd = project.dir;
    // As root the server runs as the OS user postgres, which must pass through the project folder.
    fs.chmodSync(cwd, 0o755);
    expect((await runCli(['history'], { cwd })).code).to.equal(0);
    for (let round = 0; round < 3; round++) {
      const schema = `race_${round}`;
      const runs = Array.from({ length: 4 }, () =>
        startCli(['-x', 'db=local', '-x', `schema=${schema}`, '-x', `su_role=racedba${round}`, 'upgrade', 'head'], { cwd, limitMs: 150_000 }),
      );
      const results = await Promise.all(runs.map((r) => r.done));
      for (const r of results) {
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stderr).to.not.match(/concurrently updated/);
      }
      const current = await runCli(['-x', 'db=local', '-x', `schema=${schema}`, 'current'], { cwd });
      expect(current.stdout.trim()).to.equal('lr000000001 (head)');
    }
  });
});

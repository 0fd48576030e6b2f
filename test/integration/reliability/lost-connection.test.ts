import { expect } from 'chai';
import { createProject, runCli } from '../../support/cli';
import { query } from '../../support/database';
import {
  backendRunning,
  chain,
  expectClean,
  expectOneErrorLine,
  freshTarget,
  invalidIndexes,
  sleepingChain,
  startCli,
  upgradeInIndexBuild,
  versionHeads,
  waitFor,
} from './harness';

/** Two of the three ways a plan commits (the third, a non-transactional revision, has its own test below). */
const MODES = [
  { mode: 'one transaction', args: [] as string[], committed: [] as string[] },
  { mode: 'a transaction per revision', args: ['--transaction-per-revision'], committed: ['lc000000001'] },
] as const;

describe('reliability: a lost connection is one line, exit 1, and leaves the target consistent', function () {
  this.timeout(120_000);
  const t = freshTarget('lost');

  const sleeping = (marker: string) => sleepingChain('lc', marker);

  for (const { mode, args, committed } of MODES) {
    it(`pg_terminate_backend of the running command (${mode})`, async () => {
      const revisions = sleeping('terminate me');
      const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
      const run = startCli(['-x', 'db=dev', '--json', 'upgrade', 'head', ...args], { cwd: project.dir });
      const pid = await waitFor('the revision to sleep', () => backendRunning(t.db.url, '-- terminate me'));
      await query(t.db.url, 'select pg_terminate_backend($1)', [pid]);
      const r = await run.done;
      expect(r.code, r.stderr).to.equal(1);
      const stays = committed.length > 0 ? committed.join(', ') : 'base';
      const pattern = new RegExp(
        `^migrate: error: The connection to database dev was lost during revision lc000000002 \\(create t_lc000000002\\) \\(terminating connection due to administrator command\\): nothing of it was committed; schema "crmp" stays at ${stays}\\. Run the command again when the server is back\\.$`,
      );
      expectOneErrorLine(r.stderr, pattern);
      const json = JSON.parse(r.stdout) as { ok: boolean; error: { code: string } };
      expect(json).to.deep.include({
        ok: false,
        error: { code: 'CONNECTION_LOST', message: expectOneErrorLine(r.stderr, pattern).replace(/^migrate: error: /, '') },
      });
      expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(committed);
    });
  }

  it('pg_terminate_backend during a non-transactional revision: its INVALID index is dropped when it runs again', async () => {
    const revisions = chain([{ id: 'nt000000001' }, { id: 'nt000000002', nonTransactional: true }, { id: 'nt000000003' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const build = await upgradeInIndexBuild(t.db.url, project.dir);
    try {
      await query(t.db.url, 'select pg_terminate_backend($1)', [build.pid]);
      const r = await build.run.done;
      expect(r.code, r.stderr).to.equal(1);
      expectOneErrorLine(
        r.stderr,
        /The connection to database dev was lost during revision nt000000002 \(index t_nt000000001\) \(terminating connection due to administrator command\): schema "crmp" stays at nt000000001\. It is not transactional: what it ran before the loss stays\. Run the command again/,
      );
    } finally {
      await build.release();
    }
    expect(await invalidIndexes(t.db.url, 'crmp')).to.deep.equal(['ix_nt000000002']);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['nt000000001']);
    const again = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.contain(
      'Dropped INVALID index "crmp"."ix_nt000000002" (left by an interrupted CREATE INDEX CONCURRENTLY) before revision nt000000002',
    );
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['nt000000003']);
  });

  it('a non-transactional revision that fails drops the INVALID index it left, and says so', async () => {
    const revisions = chain([{ id: 'nf000000001' }, { id: 'nf000000002', nonTransactional: true, then: 'select 1/0' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code).to.equal(1);
    // The index was built (valid) before the failing statement: a valid index is the revision's work and stays.
    expectOneErrorLine(
      r.stderr,
      /Revision nf000000002 \(index t_nf000000001\) failed during upgrade: division by zero\. Rolled back; schema "crmp" stays at nf000000001\. It is not transactional: what it ran before the failure stays\. Fix /,
    );
    expect(await versionHeads(t.db.url, 'crmp')).to.deep.equal(['nf000000001']);

    // Now a build that fails half way, on a duplicate: the INVALID index it leaves is dropped at once.
    await query(t.db.url, 'drop index crmp.ix_nf000000002; insert into crmp.t_nf000000001 values (1), (1)');
    const unique = chain([{ id: 'nf000000001' }, { id: 'nf000000002', nonTransactional: true }]);
    unique[1] = { ...unique[1]!, up: unique[1]!.up!.replace('create index concurrently', 'create unique index concurrently') };
    project.write(unique[1]!, 'nf000000002_index_t_nf000000001.ts');
    const u = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(u.code).to.equal(1);
    expectOneErrorLine(
      u.stderr,
      /failed during upgrade: could not create unique index "ix_nf000000002"\. Rolled back; schema "crmp" stays at nf000000001\. It is not transactional: what it ran before the failure stays \(dropped the INVALID index "crmp"\."ix_nf000000002" it left, so it can run again\)\. Fix /,
    );
    expect(await invalidIndexes(t.db.url, 'crmp')).to.deep.equal([]);
  });

  it('idle_in_transaction_session_timeout ends the session in the middle of a revision', async () => {
    const revisions = chain([
      { id: 'it000000001' },
      { id: 'it000000002', then: 'select 1`.execute(ctx.db); await new Promise((r) => setTimeout(r, 2500)); await ctx.sql`select 2' },
    ]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, env: { PGOPTIONS: '-c idle_in_transaction_session_timeout=600' } });
    expect(r.code, r.stderr).to.equal(1);
    expectOneErrorLine(
      r.stderr,
      /The connection to database dev was lost during revision it000000002 \(create t_it000000002\) \(terminating connection due to idle-in-transaction timeout\): nothing of it was committed; schema "crmp" stays at base\./,
    );
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal([]);
  });

  it('statement_timeout fails the revision it stops, and rolls back', async () => {
    const revisions = sleeping('slow');
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const r = await runCli(['-x', 'db=dev', '--json', 'upgrade', 'head'], { cwd: project.dir, env: { PGOPTIONS: '-c statement_timeout=500' } });
    expect(r.code, r.stderr).to.equal(1);
    expectOneErrorLine(
      r.stderr,
      /Revision lc000000002 \(create t_lc000000002\) failed during upgrade: canceling statement due to statement timeout\. Rolled back; schema "crmp" stays at base\./,
    );
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).to.equal('REVISION_FAILED');
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal([]);
  });
});

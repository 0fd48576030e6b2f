import { expect } from 'chai';
import { createProject, runCli } from '../../support/cli';
import { query } from '../../support/database';
import {
  advisoryLocks,
  backendRunning,
  chain,
  expectClean,
  expectOneErrorLine,
  freshTarget,
  invalidIndexes,
  killPid,
  ourBackends,
  sleepingChain,
  startCli,
  upgradeInIndexBuild,
  waitFor,
} from './harness';

describe('reliability: Ctrl-C, SIGTERM and kill -9', function () {
  this.timeout(120_000);
  const t = freshTarget('signal');

  const sleeping = (marker: string) => sleepingChain('sg', marker);

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} cancels the running statement on the server, rolls back, frees the lock, then exits ${code}`, async () => {
      const revisions = sleeping('interrupt me');
      const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
      const run = startCli(['-x', 'db=dev', '--json', 'upgrade', 'head'], { cwd: project.dir });
      await waitFor('the revision to sleep', () => backendRunning(t.db.url, '-- interrupt me'));
      const sent = Date.now();
      killPid(run.pid, signal);
      const r = await run.done;
      // Far sooner than the 30 s sleep: the statement was cancelled, not waited for.
      expect(Date.now() - sent).to.be.below(5000);
      expect(r.code, r.stderr).to.equal(code);
      const line = expectOneErrorLine(
        r.stderr,
        new RegExp(
          `^migrate: error: Interrupted \\(${signal}\\) during revision sg000000002 \\(create t_sg000000002\\): its running statement was cancelled and what was not committed rolled back; schema "crmp" stays at base\\.$`,
        ),
      );
      expect(JSON.parse(r.stdout)).to.deep.include({ ok: false, error: { code: 'INTERRUPTED', message: line.replace(/^migrate: error: /, '') } });
      // Nothing to wait for: the backend is gone or idle without the lock by the time the process has exited.
      expect(await advisoryLocks(t.db.url)).to.deep.equal([]);
      expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal([]);
    });
  }

  it('Ctrl-C with --transaction-per-revision keeps what was committed and says so', async () => {
    const revisions = sleeping('interrupt me');
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const run = startCli(['-x', 'db=dev', 'upgrade', 'head', '--transaction-per-revision'], { cwd: project.dir });
    await waitFor('the revision to sleep', () => backendRunning(t.db.url, '-- interrupt me'));
    killPid(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stdout).to.match(/^Upgraded <base> -> sg000000001 in [\d.]+ m?s$/m);
    // The interrupted step's line was written when it started; no line says it finished.
    expect(r.stdout).to.match(/^Running upgrade sg000000001 -> sg000000002, create t_sg000000002 \.\.\.$/m);
    expect(r.stdout).to.not.match(/^Upgraded sg000000001 -> sg000000002/m);
    expectOneErrorLine(r.stderr, /Interrupted \(SIGINT\) during revision sg000000002 .*; schema "crmp" stays at sg000000001\.$/);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['sg000000001']);
  });

  it('Ctrl-C of a command waiting for the lock stops the wait at once and changes nothing', async () => {
    const revisions = sleeping('holder');
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const holder = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const holderPid = await waitFor('the holder to sleep', () => backendRunning(t.db.url, '-- holder'));
    const waiter = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    await waitFor('the waiter to wait', () => /Waiting for the migration lock/.test(waiter.stderr()) || undefined);
    killPid(waiter.pid, 'SIGINT');
    const w = await waiter.done;
    expect(w.code).to.equal(130);
    expectOneErrorLine(w.stderr, /^migrate: error: Interrupted \(SIGINT\) while waiting for the migration lock on dev:crmp; nothing was changed\.$/);
    await query(t.db.url, 'select pg_terminate_backend($1)', [holderPid]);
    expect((await holder.done).code).to.equal(1);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal([]);
  });

  for (const [mode, args] of [
    ['one transaction', []],
    ['a transaction per revision', ['--transaction-per-revision']],
  ] as const) {
    it(`kill -9 (${mode}): the server ends the orphaned statement within seconds and frees the lock`, async () => {
      const revisions = sleeping('orphan');
      const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
      const run = startCli(['-x', 'db=dev', 'upgrade', 'head', ...args], { cwd: project.dir });
      await waitFor('the revision to sleep', () => backendRunning(t.db.url, '-- orphan'));
      const killed = Date.now();
      killPid(run.pid, 'SIGKILL');
      const r = await run.done;
      expect(r.signal).to.equal('SIGKILL');
      // client_connection_check_interval (1 s) instead of the 30 s the statement had left.
      await waitFor('the orphaned backend to end', async () => (await ourBackends(t.db.url)).length === 0 || undefined, 10_000);
      expect(Date.now() - killed).to.be.below(8000);
      expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(mode === 'one transaction' ? [] : ['sg000000001']);
    });
  }

  it('kill -9 during a non-transactional revision: the next upgrade drops its INVALID index and finishes', async () => {
    const revisions = chain([{ id: 'kn000000001' }, { id: 'kn000000002', nonTransactional: true }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const build = await upgradeInIndexBuild(t.db.url, project.dir);
    try {
      killPid(build.run.pid, 'SIGKILL');
      await build.run.done;
      await waitFor('the orphaned backend to end', async () => (await ourBackends(t.db.url)).length === 0 || undefined, 10_000);
    } finally {
      await build.release();
    }
    expect(await invalidIndexes(t.db.url, 'crmp')).to.deep.equal(['ix_kn000000002']);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['kn000000001']);
    const again = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(again.code, again.stderr).to.equal(0);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['kn000000002']);
  });
});

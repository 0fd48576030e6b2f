import { expect } from 'chai';
import { Client } from 'pg';
import { createProject, runCli, type TestProject } from '../../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { advisoryLocks, backendRunning, chain, expectClean, expectOneErrorLine, invalidIndexes, killPid, ourBackends, startCli, waitFor } from './harness';

describe('reliability: Ctrl-C, SIGTERM and kill -9', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let project: TestProject;

  beforeEach(async () => {
    db = await createTestDatabase('signal');
    await query(db.url, 'create schema crmp');
  });
  afterEach(async () => {
    project?.remove();
    await db.drop();
  });

  const sleeping = (marker: string) => chain([{ id: 'sg000000001' }, { id: 'sg000000002', then: `select pg_sleep(30) -- ${marker}` }, { id: 'sg000000003' }]);

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} cancels the running statement on the server, rolls back, frees the lock, then exits ${code}`, async () => {
      const revisions = sleeping('interrupt me');
      project = createProject({ labels: { dev: db.url }, revisions });
      const run = startCli(['-x', 'db=dev', '--json', 'upgrade', 'head'], { cwd: project.dir });
      await waitFor('the revision to sleep', () => backendRunning(db.url, '-- interrupt me'));
      const sent = Date.now();
      killPid(run.pid, signal);
      const r = await run.done;
      // Far sooner than the 30 s sleep: the statement was cancelled, not waited for.
      expect(Date.now() - sent).to.be.below(5000);
      expect(r.code, r.stderr).to.equal(code);
      const line = expectOneErrorLine(
        r.stderr,
        new RegExp(`^migrate: error: Interrupted \\(${signal}\\) during revision sg000000002 \\(create t_sg000000002\\): its running statement was cancelled and what was not committed rolled back; schema "crmp" stays at base\\.$`),
      );
      expect(JSON.parse(r.stdout)).to.deep.equal({ ok: false, error: { code: 'INTERRUPTED', message: line.replace(/^migrate: error: /, '') } });
      // Nothing to wait for: the backend is gone or idle without the lock by the time the process has exited.
      expect(await advisoryLocks(db.url)).to.deep.equal([]);
      expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal([]);
    });
  }

  it('Ctrl-C with --transaction-per-revision keeps what was committed and says so', async () => {
    const revisions = sleeping('interrupt me');
    project = createProject({ labels: { dev: db.url }, revisions });
    const run = startCli(['-x', 'db=dev', 'upgrade', 'head', '--transaction-per-revision'], { cwd: project.dir });
    await waitFor('the revision to sleep', () => backendRunning(db.url, '-- interrupt me'));
    killPid(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stdout).to.match(/^Running upgrade <base> -> sg000000001, create t_sg000000001 \(\d+ ms\)$/m);
    expectOneErrorLine(r.stderr, /Interrupted \(SIGINT\) during revision sg000000002 .*; schema "crmp" stays at sg000000001\.$/);
    expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal(['sg000000001']);
  });

  it('Ctrl-C of a command waiting for the lock stops the wait at once and changes nothing', async () => {
    const revisions = sleeping('holder');
    project = createProject({ labels: { dev: db.url }, revisions });
    const holder = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const holderPid = await waitFor('the holder to sleep', () => backendRunning(db.url, '-- holder'));
    const waiter = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    await waitFor('the waiter to wait', () => /Waiting for the migration lock/.test(waiter.stderr()) || undefined);
    killPid(waiter.pid, 'SIGINT');
    const w = await waiter.done;
    expect(w.code).to.equal(130);
    expectOneErrorLine(w.stderr, /^migrate: error: Interrupted \(SIGINT\) while waiting for the migration lock on dev:crmp; nothing was changed\.$/);
    await query(db.url, 'select pg_terminate_backend($1)', [holderPid]);
    expect((await holder.done).code).to.equal(1);
    expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal([]);
  });

  for (const [mode, args] of [
    ['one transaction', []],
    ['a transaction per revision', ['--transaction-per-revision']],
  ] as const) {
    it(`kill -9 (${mode}): the server ends the orphaned statement within seconds and frees the lock`, async () => {
      const revisions = sleeping('orphan');
      project = createProject({ labels: { dev: db.url }, revisions });
      const run = startCli(['-x', 'db=dev', 'upgrade', 'head', ...args], { cwd: project.dir });
      await waitFor('the revision to sleep', () => backendRunning(db.url, '-- orphan'));
      const killed = Date.now();
      killPid(run.pid, 'SIGKILL');
      const r = await run.done;
      expect(r.signal).to.equal('SIGKILL');
      // client_connection_check_interval (1 s) instead of the 30 s the statement had left.
      await waitFor('the orphaned backend to end', async () => (await ourBackends(db.url)).length === 0 || undefined, 10_000);
      expect(Date.now() - killed).to.be.below(8000);
      expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal(mode === 'one transaction' ? [] : ['sg000000001']);
    });
  }

  it('kill -9 during a non-transactional revision: the next upgrade drops its INVALID index and finishes', async () => {
    const revisions = chain([{ id: 'kn000000001' }, { id: 'kn000000002', nonTransactional: true }]);
    project = createProject({ labels: { dev: db.url }, revisions });
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin isolation level repeatable read; select 1');
      const run = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
      await waitFor('the index build to wait', () => backendRunning(db.url, 'create index concurrently'));
      await waitFor('the index to exist', async () => (await invalidIndexes(db.url, 'crmp')).length > 0 || undefined);
      killPid(run.pid, 'SIGKILL');
      await run.done;
      await waitFor('the orphaned backend to end', async () => (await ourBackends(db.url)).length === 0 || undefined, 10_000);
    } finally {
      await blocker.end();
    }
    expect(await invalidIndexes(db.url, 'crmp')).to.deep.equal(['ix_kn000000002']);
    expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal(['kn000000001']);
    const again = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(again.code, again.stderr).to.equal(0);
    expect(await expectClean(db.url, 'crmp', revisions)).to.deep.equal(['kn000000002']);
  });
});

import { expect } from 'chai';
import { createProject, runCli } from '../../support/cli';
import { query } from '../../support/database';
import { backendRunning, chain, expectClean, expectOneErrorLine, freshTarget, startCli, versionHeads, waitFor } from './harness';

describe('reliability: waiting for the migration lock', function () {
  this.timeout(120_000);
  const t = freshTarget('lockwait');

  it('a waiting command holds no snapshot: CREATE INDEX CONCURRENTLY in the holder finishes, and both exit 0', async () => {
    // The first revision holds the lock for 1.5 s, the second builds an index concurrently; a second
    // command arrives meanwhile and waits. A waiter parked in pg_advisory_lock() holds a snapshot the
    // index build must wait for, while it waits for the lock: a deadlock.
    const revisions = chain([
      { id: 'dl000000001', then: 'select pg_sleep(1.5) -- holder' },
      { id: 'dl000000002', nonTransactional: true },
    ]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    expect((await runCli(['history'], { cwd: project.dir })).code).to.equal(0);
    const holder = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    await waitFor('the holder to sleep', () => backendRunning(t.db.url, '-- holder'));
    const waiter = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const [h, w] = await Promise.all([holder.done, waiter.done]);
    expect(h.code, h.stderr).to.equal(0);
    expect(w.code, w.stderr).to.equal(0);
    expect(w.stderr).to.match(/Waiting for the migration lock on dev:crmp/);
    expect(w.stdout).to.match(/nothing to do/);
    const invalid = await query(
      t.db.url,
      "select 1 from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'ix_dl000000002' and not i.indisvalid",
    );
    expect(invalid).to.deep.equal([]);
    expect(await expectClean(t.db.url, 'crmp', revisions)).to.deep.equal(['dl000000002']);
  });

  it('says who holds the lock (pid, what it runs, since when), and gives up after --lock-timeout', async () => {
    const revisions = chain([{ id: 'lw000000001', then: 'select pg_sleep(4) -- holder' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const holder = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const pid = await waitFor('the holder to sleep', () => backendRunning(t.db.url, '-- holder'));
    const started = Date.now();
    const waiter = await runCli(['-x', 'db=dev', '--lock-timeout', '1', 'upgrade', 'head'], { cwd: project.dir });
    const waited = Date.now() - started;
    expect(waiter.code).to.equal(2);
    expect(waiter.stderr).to.match(
      new RegExp(
        `Waiting for the migration lock on dev:crmp, held by backend pid ${pid} \\(retort, connected at \\d\\d:\\d\\d:\\d\\d; running since \\d\\d:\\d\\d:\\d\\d: select pg_sleep\\(4\\) -- holder\\), up to 1 s`,
      ),
    );
    expectOneErrorLine(
      waiter.stderr,
      new RegExp(
        `Another command holds the migration lock on dev:crmp \\(backend pid ${pid}, running "select pg_sleep\\(4\\) -- holder"\\); gave up after 1 s\\. Wait for it to finish or raise --lock-timeout\\.`,
      ),
    );
    expect(waited).to.be.within(900, 8000);
    expect((await holder.done).code).to.equal(0);
    await expectClean(t.db.url, 'crmp', revisions);
  });

  it('two schemas whose names have the same 32-bit hash do not block each other', async () => {
    // hashtext('h23837') = hashtext('h378957'): the old (class, hashtext(schema)) key made them one lock.
    const same = await query<{ same: boolean }>(t.db.url, "select hashtext('h23837') = hashtext('h378957') as same");
    expect(same[0]!.same).to.equal(true);
    await query(t.db.url, 'create schema h23837; create schema h378957');
    const revisions = chain([{ id: 'hc000000001', then: 'select pg_sleep(3) -- holder' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const holder = startCli(['-x', 'db=dev', '-x', 'schema=h23837', 'upgrade', 'head'], { cwd: project.dir });
    await waitFor('the holder to sleep', () => backendRunning(t.db.url, '-- holder'));
    const other = await runCli(['-x', 'db=dev', '-x', 'schema=h378957', '--lock-timeout', '1', 'upgrade', 'head'], { cwd: project.dir });
    // It ran at once: a waiter would have said so, and given up after 1 s with exit 2.
    expect(other.code, other.stderr).to.equal(0);
    expect(other.stderr).to.not.match(/Waiting for the migration lock/);
    expect((await holder.done).code).to.equal(0);
  });

  it('a waiter whose connection is terminated says so (one line, exit 1, JSON under --json) and changes nothing', async () => {
    const revisions = chain([{ id: 'wc000000001', then: 'select pg_sleep(4) -- holder' }]);
    const project = (t.project = createProject({ labels: { dev: t.db.url }, revisions }));
    const holder = startCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const holderPid = await waitFor('the holder to sleep', () => backendRunning(t.db.url, '-- holder'));
    const waiter = startCli(['-x', 'db=dev', '--json', 'upgrade', 'head'], { cwd: project.dir });
    await waitFor('the waiter to wait', () => /Waiting for the migration lock/.test(waiter.stderr()) || undefined);
    const rows = await query<{ pid: number }>(
      t.db.url,
      "select pid from pg_stat_activity where datname = current_database() and application_name = 'retort' and pid not in (pg_backend_pid(), $1)",
      [holderPid],
    );
    expect(rows).to.have.length(1);
    await query(t.db.url, 'select pg_terminate_backend($1)', [rows[0]!.pid]);
    const w = await waiter.done;
    const pattern =
      /The connection to database dev was lost while waiting for the migration lock on dev:crmp \(terminating connection due to administrator command\); nothing was changed\. Run the command again when the server is back\./;
    expect(w.code, w.stderr).to.equal(1);
    expectOneErrorLine(w.stderr, pattern);
    const json = JSON.parse(w.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(json).to.deep.include({ ok: false });
    expect(json.error).to.deep.include({ code: 'CONNECTION_LOST' });
    expect(json.error.message).to.match(pattern);
    expect((await holder.done).code).to.equal(0);
    expect(await versionHeads(t.db.url, 'crmp')).to.deep.equal(['wc000000001']);
    await expectClean(t.db.url, 'crmp', revisions);
  });
});

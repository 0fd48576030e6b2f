import { expect } from 'chai';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { createProject, runCli, tableRevision, type TestProject } from '../../support/cli';

const SCHEMAS = ['tenant_a', 'tenant_b', 'tenant_c', 'tenant_d'];

interface StatusRow {
  target: string;
  state: string;
  current: string[];
  pending: number | null;
}

describe('cli: a fleet of 3 labelled databases x 4 schemas', () => {
  const dbs: TestDatabase[] = [];
  let project: TestProject;

  beforeEach(async () => {
    for (let i = 0; i < 3; i++) {
      const db = await createTestDatabase(`fleet${i}`);
      await exec(db.url, SCHEMAS.map((s) => `create schema ${s};`).join(' ') + ' create schema unrelated;');
      dbs.push(db);
    }
    project = createProject({
      labels: { dev: dbs[0]!.url, test: dbs[1]!.url, prod: dbs[2]!.url },
      revisions: [tableRevision('aaaa00000001', null, 'network'), tableRevision('bbbb00000002', 'aaaa00000001', 'station')],
    });
  });
  afterEach(async () => {
    project.remove();
    for (const db of dbs.splice(0)) await db.drop();
  });

  async function statusRows(): Promise<StatusRow[]> {
    const r = await runCli(['-x', 'db=all', '--schemas', 'tenant_*', '--json', 'status'], { cwd: project.dir });
    return (JSON.parse(r.stdout) as { targets: Array<{ result: StatusRow }> }).targets.map((t) => t.result);
  }

  it('upgrades all 12 targets in one command, and status shows the matrix', async () => {
    const before = await statusRows();
    expect(before).to.have.length(12);
    expect(before.every((r) => r.state === 'ok' && r.pending === 2)).to.equal(true);
    const r = await runCli(['-x', 'db=all', '--schemas', 'tenant_*', '--jobs', '4', 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/12 of 12 targets succeeded\./);
    for (const label of ['dev', 'test', 'prod'])
      for (const s of SCHEMAS) expect(r.stdout).to.match(new RegExp(`^${label}:${s}\\s+<base>\\s+bbbb00000002\\s+\\d+ ms\\s+ok \\(2 steps\\)$`, 'm'));
    const after = await statusRows();
    expect(after.map((x) => [x.target, x.current, x.pending])).to.deep.equal(
      ['dev', 'test', 'prod'].flatMap((l) => SCHEMAS.map((s) => [`${l}:${s}`, ['bbbb00000002'], 0])),
    );
    // The schema that matched no pattern was left alone.
    for (const db of dbs) expect(await exec(db.url, "select 1 from pg_tables where schemaname = 'unrelated'")).to.have.length(0);
  });

  it('one failing target: --keep-going runs the others; the default stops new targets', async () => {
    // tenant_b in test already has a conflicting table: its first revision fails there.
    await exec(dbs[1]!.url, 'create table tenant_b.network (x int)');
    const keep = await runCli(['-x', 'db=all', '--schemas', 'tenant_*', '--jobs', '2', '--keep-going', 'upgrade', 'head'], { cwd: project.dir });
    expect(keep.code).to.equal(1);
    expect(keep.stdout).to.match(
      /^test:tenant_b\s+.*FAILED: Revision aaaa00000001 \(create network\) failed during upgrade: relation "network" already exists/m,
    );
    expect(keep.stdout).to.match(/11 of 12 targets succeeded, 1 failed\./);
    const rows = await statusRows();
    expect(rows.filter((x) => x.pending === 0)).to.have.length(11);
    expect(rows.find((x) => x.target === 'test:tenant_b')!.current).to.deep.equal([]);
    // The failed target is exactly as it was: only the pre-existing table, no version table rows.
    expect(await exec(dbs[1]!.url, "select tablename from pg_tables where schemaname = 'tenant_b' order by 1")).to.deep.equal([{ tablename: 'network' }]);

    // Downgrade everything, then run again without --keep-going and one job: stops at the failure.
    const down = await runCli(['-x', 'db=all', '--schemas', 'tenant_*', 'downgrade', 'base'], { cwd: project.dir });
    // test:tenant_b is still at base: nothing to do there, so every target succeeds.
    expect(down.code, down.stdout).to.equal(0);
    const stop = await runCli(['-x', 'db=all', '--schemas', 'tenant_*', '--jobs', '1', 'upgrade', 'head'], { cwd: project.dir });
    expect(stop.code).to.equal(1);
    expect(stop.stdout).to.match(/skipped \(an earlier target failed\)/);
    const after = await statusRows();
    const done = after.filter((x) => x.pending === 0).map((x) => x.target);
    // Targets run in order dev, test, prod; the failure at test:tenant_b stops the rest.
    expect(done).to.deep.equal(['dev:tenant_a', 'dev:tenant_b', 'dev:tenant_c', 'dev:tenant_d', 'test:tenant_a']);
  });

  it('status shows an unreachable database in its rows and still prints the rest', async () => {
    const broken = createProject({
      labels: { dev: dbs[0]!.url, gone: 'postgresql://nobody:hunter2pw@127.0.0.1:1/nowhere' },
      revisions: [tableRevision('aaaa00000001', null, 'network')],
    });
    try {
      const r = await runCli(['-x', 'db=dev,gone', '-x', 'schema=tenant_a,tenant_b', 'status'], { cwd: broken.dir });
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/^dev\s+tenant_a\s+<base>\s+aaaa00000001\s+1\s+1 pending$/m);
      expect(r.stdout).to.match(
        /^gone\s+tenant_b\s+-\s+aaaa00000001\s+-\s+unreachable: Cannot connect to database gone \(postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nowhere\)/m,
      );
      expect(r.stdout + r.stderr).to.not.include('hunter2pw');
    } finally {
      broken.remove();
    }
  });
});

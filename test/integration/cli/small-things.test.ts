import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, runCli, tableRevision, type TestProject } from '../../support/cli';

describe("cli: step counts, --backup with nothing pending, --schemas '*', current on a missing schema", () => {
  let db: TestDatabase;
  let project: TestProject;
  let backups: string;
  const run = (args: string[]) => runCli(['-x', 'db=dev', ...args], { cwd: project.dir });

  beforeEach(async () => {
    db = await createTestDatabase('small');
    await query(db.url, 'create schema tenant_a; create schema tenant_b');
    project = createProject({
      labels: { dev: db.url },
      revisions: [tableRevision('aaaa00000001', null, 'network'), tableRevision('aaab00000002', 'aaaa00000001', 'station')],
    });
    backups = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-small-'));
  });
  afterEach(async () => {
    project.remove();
    fs.rmSync(backups, { recursive: true, force: true });
    await db.drop();
  });

  it('the summary says "1 step" and "2 steps"', async () => {
    expect((await run(['-x', 'schema=tenant_a', 'upgrade', 'aaaa00000001'])).code).to.equal(0);
    const r = await run(['--schemas', 'tenant_*', 'upgrade', 'head', '--no-lint']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^dev:tenant_a .* ok \(1 step\)$/m);
    expect(r.stdout).to.match(/^dev:tenant_b .* ok \(2 steps\)$/m);
    expect(r.stdout).to.not.match(/1 steps/);
  });

  it('--backup dumps only when something is pending, and says so when nothing is', async () => {
    const a = ['-x', 'schema=tenant_a'];
    expect((await run([...a, 'upgrade', 'aaaa00000001'])).code).to.equal(0);
    // One revision applied, one pending: the dump is taken (under the lock, before the step) and reported.
    const first = await run([...a, '--json', 'upgrade', 'head', `--backup=${backups}`, '--no-lint']);
    expect(first.code, first.stderr).to.equal(0);
    const file = (JSON.parse(first.stdout) as { targets: Array<{ result: { backup: string } }> }).targets[0]!.result.backup;
    expect(fs.readdirSync(backups)).to.deep.equal([path.basename(file)]);
    expect(fs.statSync(file).size).to.be.greaterThan(0);
    // Nothing pending: no dump, and the line says why.
    const again = await run([...a, 'upgrade', 'head', `--backup=${backups}`]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout.trim()).to.equal('already at aaab00000002; nothing to do, so no backup was taken.');
    expect(fs.readdirSync(backups)).to.have.length(1);
  });

  it("--schemas '*' leaves out public (and PostgreSQL's own schemas) unless public is named", async () => {
    const all = await run(['--schemas', '*', '--json', 'upgrade', 'head', '--no-lint']);
    expect(all.code, all.stderr).to.equal(0);
    expect((JSON.parse(all.stdout) as { targets: Array<{ target: string }> }).targets.map((t) => t.target)).to.deep.equal(['dev:tenant_a', 'dev:tenant_b']);
    expect(await query(db.url, "select 1 from pg_tables where schemaname = 'public'")).to.have.length(0);

    const named = await run(['--schemas', '*,public', '--json', 'status']);
    expect((JSON.parse(named.stdout) as { targets: Array<{ target: string }> }).targets.map((t) => t.target)).to.deep.equal([
      'dev:public',
      'dev:tenant_a',
      'dev:tenant_b',
    ]);

    const system = await run(['--schemas', 'pg_catalog', 'status']);
    expect(system.code).to.equal(2);
    expect(system.stderr.trim()).to.match(/^migrate: error: schema "pg_catalog" is one of PostgreSQL's own .*Retort never migrates it/);
  });

  it('current on a schema that does not exist says so, and exits 0 as an informational command', async () => {
    const r = await run(['-x', 'schema=nope', 'current']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('<base> (schema "nope" does not exist in database dev)');
    expect(r.stderr.trim()).to.match(/^migrate: warning: schema "nope" does not exist in database dev\. Create it/);
    const json = JSON.parse((await run(['-x', 'schema=nope', '--json', 'current'])).stdout) as {
      ok: boolean;
      targets: Array<{ result: { schemaExists: boolean } }>;
    };
    expect(json.ok).to.equal(true);
    expect(json.targets[0]!.result.schemaExists).to.equal(false);
  });

  it('--schemas: current lists every matching schema; a command of one target, or --sql, refuses it instead of ignoring it', async () => {
    expect((await run(['-x', 'schema=tenant_a', 'upgrade', 'aaaa00000001'])).code).to.equal(0);
    const current = await run(['--schemas', 'tenant_*', 'current']);
    expect(current.code, current.stderr).to.equal(0);
    expect(current.stdout.trim().split('\n')).to.deep.equal(['dev:tenant_a: aaaa00000001', 'dev:tenant_b: <base> (no version table)']);
    for (const args of [
      ['pull', '-o', path.join(backups, 'model.ts')],
      ['upgrade', 'head', '--sql'],
    ]) {
      const r = await run(['--schemas', 'tenant_*', ...args]);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).to.have.length(1);
      expect(r.stderr).to.match(/^migrate: error: --schemas .*(-x schema=|SCHEMA_NAME)/);
    }
    expect(fs.readdirSync(backups)).to.deep.equal([]);
  });

  it('upgrade --create-schema creates the schema even when there is nothing to run', async () => {
    const empty = createProject({ labels: { dev: db.url }, revisions: [] });
    try {
      const r = await runCli(['-x', 'db=dev', '-x', 'schema=fresh', 'upgrade', 'head', '--create-schema'], { cwd: empty.dir });
      expect(r.code, r.stderr).to.equal(0);
      expect(await query(db.url, "select 1 from pg_namespace where nspname = 'fresh'")).to.have.length(1);
    } finally {
      empty.remove();
    }
  });
});

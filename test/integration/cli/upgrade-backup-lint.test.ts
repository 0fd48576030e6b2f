import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { createProject, runCli, tableRevision, type TestProject } from '../../support/cli';


describe('cli: upgrade --backup and lint warnings on upgrade', () => {
  let db: TestDatabase;
  let project: TestProject;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('bk');
    await exec(db.url, 'create schema crmp');
    project = createProject({ labels: { dev: db.url }, revisions: [tableRevision('aaaa00000001', null, 'network')] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-bk-'));
  });
  afterEach(async () => {
    project.remove();
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('dumps the schema before the first step and prints the path', async () => {
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head', `--backup=${dir}`], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    const m = /^Backed up dev:crmp to (.+\.dump)$/m.exec(r.stdout);
    expect(m, r.stdout).to.not.equal(null);
    expect(fs.statSync(m![1]!).size).to.be.greaterThan(0);
    expect(r.stdout.indexOf('Backed up')).to.be.lessThan(r.stdout.indexOf('Running upgrade'));
  });

  it('does not start the upgrade when pg_dump is missing', async () => {
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head', `--backup=${dir}`], { cwd: project.dir, env: { PATH: dir } });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/pg_dump/);
    expect(r.stdout).to.not.match(/Running upgrade/);
    expect(await exec(db.url, "select 1 from pg_tables where schemaname = 'crmp'")).to.have.length(0);
  });

  it('warns about risky pending revisions before running them, and --no-lint silences it', async () => {
    // From base there is no data to lock: no lint output.
    const first = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stderr).to.not.match(/lint:/);
    project.write({
      id: 'bbbb00000002',
      down: 'aaaa00000001',
      message: 'index',
      up: `  await ctx.sql\`create index network_name_idx on \${ctx.sql.id(ctx.schema, 'network')} (name)\`.execute(ctx.db);`,
      downBody: `  await ctx.sql\`drop index \${ctx.sql.id(ctx.schema, 'network_name_idx')}\`.execute(ctx.db);`,
    });
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^lint: .*bbbb00000002_index\.ts:\d+ index-not-concurrent: /m);
    const quiet = await runCli(['-x', 'db=dev', 'downgrade', '-1'], { cwd: project.dir });
    expect(quiet.code).to.equal(0);
    const again = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(again.code).to.equal(0);
    expect(again.stderr).to.not.match(/lint:/);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { createProject, dumpSchema, runCli, tableRevision, type TestProject } from '../../support/cli';

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

  describe('lint errors in pending revisions stop the upgrade before any DDL', () => {
    /** A revision that names the schema literally: a lint error, though here it is the target schema (so it can run). */
    const literal = {
      id: 'bbbb00000002',
      down: 'aaaa00000001',
      message: 'literal',
      up: "  await ctx.db.schema.withSchema('crmp').createTable('lit').addColumn('id', 'integer').execute();",
    };
    const finding = /^lint: revisions\/bbbb00000002_literal\.ts:\d+ literal-schema: withSchema\('crmp'\) names schema "crmp" literally/;
    const gate = /^migrate: error: 1 lint error in pending revision bbbb00000002; fix it or pass --allow-lint-errors$/;

    function expectStopped(r: { code: number; stdout: string; stderr: string }): void {
      expect(r.code, r.stderr).to.equal(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(2);
      expect(lines[0]).to.match(finding);
      expect(lines[1]).to.match(gate);
      expect(r.stdout).to.not.match(/Running upgrade|create table/);
    }

    it('from base and from a later revision, online and offline, with and without --no-lint; --allow-lint-errors runs it', async () => {
      project.write(literal);
      const base = dumpSchema(db.url);
      expectStopped(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }));
      expectStopped(await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir }));
      expectStopped(await runCli(['-x', 'db=dev', 'upgrade', 'head', '--sql'], { cwd: project.dir }));
      const json = await runCli(['-x', 'db=dev', '--json', 'upgrade', 'head'], { cwd: project.dir });
      expectStopped(json);
      const error = { code: 'LINT_ERRORS', message: '1 lint error in pending revision bbbb00000002; fix it or pass --allow-lint-errors' };
      const envelope = JSON.parse(json.stdout) as {
        ok: boolean;
        command: string;
        error: unknown;
        targets: Array<{ target: string; status: string; error: unknown }>;
      };
      expect(envelope).to.deep.include({ ok: false, command: 'upgrade', error });
      expect(envelope.targets).to.have.length(1);
      expect(envelope.targets[0]).to.deep.include({ target: 'dev:crmp', status: 'failed', error });
      expect(dumpSchema(db.url), 'the database changed').to.equal(base);

      const first = await runCli(['-x', 'db=dev', 'upgrade', 'aaaa00000001'], { cwd: project.dir });
      expect(first.code, first.stderr).to.equal(0);
      const atFirst = dumpSchema(db.url);
      expectStopped(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }));
      expectStopped(await runCli(['-x', 'db=dev', 'upgrade', 'head', '--backup', dir], { cwd: project.dir }));
      expect(dumpSchema(db.url), 'the database changed').to.equal(atFirst);

      const offline = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--sql', '--allow-lint-errors'], { cwd: project.dir });
      expect(offline.code, offline.stderr).to.equal(0);
      expect(offline.stderr.trim().split('\n')).to.have.length(1);
      expect(offline.stderr).to.match(finding);
      expect(offline.stdout).to.match(/create table "crmp"\."lit"/);

      const r = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--allow-lint-errors'], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(finding);
      expect(r.stderr).to.not.match(/migrate: error/);
      expect(r.stdout).to.match(/Running upgrade aaaa00000001 -> bbbb00000002/);
      expect(await exec(db.url, "select 1 from pg_tables where schemaname = 'crmp' and tablename = 'lit'")).to.have.length(1);
    });

    it('only pending revisions are linted: an applied revision with a lint error does not block the next upgrade', async () => {
      project.write(literal);
      const applied = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--allow-lint-errors'], { cwd: project.dir });
      expect(applied.code, applied.stderr).to.equal(0);
      project.write(tableRevision('cccc00000003', 'bbbb00000002', 'station'));
      const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.match(/Running upgrade bbbb00000002 -> cccc00000003/);
    });
  });
});

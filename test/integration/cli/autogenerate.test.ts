import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { ROOT, createProject, psql, runCli, type TestProject } from '../../support/cli';

const MODEL = `import { sql } from 'kysely';
import { defineModel, integer, pgFunction, serial, table, text, view } from '${path.join(ROOT, 'src').replace(/\\/g, '/')}';
const station = table('station', { id: serial().primaryKey(), name: text(), elevation: integer() });
const names = view('station_names', { body: (s) => sql\`select id, name from \${s('station')}\` });
const count = pgFunction('station_count', { args: [], returns: 'bigint', language: 'sql', body: (s) => sql\`select count(*) from \${s('station')}\` });
export const model = defineModel({ tables: [station], views: [names], functions: [count] });
`;

describe('cli: revision --autogenerate, check, diff', () => {
  let db: TestDatabase;
  let project: TestProject;

  beforeEach(async () => {
    db = await createTestDatabase('ag');
    await exec(db.url, 'create schema crmp; create schema tenant_b');
    project = createProject({
      labels: { dev: db.url },
      alembic: { model: 'model.ts' },
      revisions: [
        {
          id: 'aaaa00000001',
          down: null,
          message: 'init',
          up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('station').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute();`,
          downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();`,
        },
      ],
    });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('writes a schema-parameterised revision that makes the database match the model, with a working downgrade', async () => {
    expect((await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir })).code).to.equal(0);
    const drift = await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir });
    expect(drift.code).to.equal(1);
    expect(drift.stdout).to.match(/dev:crmp: 3 difference\(s\) from the model/);
    const matrix = await runCli(['-x', 'db=dev', '--json', 'status', '--drift'], { cwd: project.dir });
    expect((JSON.parse(matrix.stdout) as { targets: Array<{ result: { drift: number } }> }).targets[0]!.result.drift).to.equal(3);

    const gen = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'add elevation', '--rev-id', 'bbbb00000002'], { cwd: project.dir });
    expect(gen.code, gen.stderr).to.equal(0);
    expect(gen.stdout).to.match(/3 operation\(s\)/);
    const file = fs.readdirSync(path.join(project.dir, 'revisions')).find((f) => f.startsWith('bbbb00000002'))!;
    const source = fs.readFileSync(path.join(project.dir, 'revisions', file), 'utf8');
    expect(source).to.not.match(/crmp/);
    expect(source).to.match(/ctx\.schema/);
    expect(source).to.match(/DESTRUCTIVE/); // the downgrade drops the new column

    expect((await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir })).code).to.equal(0);
    const clean = await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir });
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.match(/dev:crmp: matches the model\./);
    const table = await runCli(['-x', 'db=dev', 'status', '--drift'], { cwd: project.dir });
    expect(table.stdout).to.match(/^dev\s+crmp\s+bbbb00000002\s+bbbb00000002\s+0\s+none\s+up to date$/m);
    const none = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'nothing', '--rev-id', 'cccc00000003'], { cwd: project.dir });
    expect(none.stdout).to.match(/No changes detected/);

    // The same revisions in another schema give the model too: nothing names crmp.
    const other = await runCli(['-x', 'db=dev', '-x', 'schema=tenant_b', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(other.code, other.stderr).to.equal(0);
    expect((await runCli(['-x', 'db=dev', '-x', 'schema=tenant_b', 'check'], { cwd: project.dir })).code).to.equal(0);
    const body = await exec(db.url, "select prosrc from pg_proc where proname = 'station_count' and pronamespace = 'tenant_b'::regnamespace");
    expect(body[0]!.prosrc).to.include('"tenant_b"."station"');

    const down = await runCli(['-x', 'db=dev', 'downgrade', 'aaaa00000001'], { cwd: project.dir });
    expect(down.code, down.stderr).to.equal(0);
    const cols = await exec(db.url, "select column_name from information_schema.columns where table_schema = 'crmp' and table_name = 'station' order by 1");
    expect(cols.map((c) => c.column_name)).to.deep.equal(['id', 'name']);
    expect(await exec(db.url, "select 1 from pg_views where schemaname = 'crmp'")).to.have.length(0);
  });

  it('refuses a database that is not at head, saying why', async () => {
    project.write({ id: 'bbbb00000002', down: 'aaaa00000001', message: 'pending', up: '', downBody: '' });
    expect((await runCli(['-x', 'db=dev', 'upgrade', 'aaaa00000001'], { cwd: project.dir })).code).to.equal(0);
    const r = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'x'], { cwd: project.dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(
      /dev:crmp is at aaaa00000001, not at head bbbb00000002: autogenerate compares the model with a database at head\. Run "migrate upgrade head"/,
    );
    expect(fs.readdirSync(path.join(project.dir, 'revisions'))).to.have.length(2);
  });

  it('diff between two live schemas prints SQL that, applied, makes them match', async () => {
    const other = await createTestDatabase('ag2');
    try {
      await exec(
        other.url,
        'create schema crmp; create table crmp.station (id serial primary key, name text, elevation integer); create view crmp.v as select name from crmp.station',
      );
      expect((await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir })).code).to.equal(0);
      const r = await runCli(['diff', '--from', 'dev:crmp', '--to', `${other.url}:crmp`, '--sql'], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/elevation/);
      expect(psql(db.url, ['-f', '-'], r.stdout).code).to.equal(0);
      const again = await runCli(['diff', '--from', 'dev:crmp', '--to', `${other.url}:crmp`], { cwd: project.dir });
      expect(again.stdout.trim()).to.equal(`dev:crmp and ${other.name}:crmp match.`);
    } finally {
      await other.drop();
    }
  });

  it('the reference schema: upgrade head matches the CRMP model (check exits 0)', async () => {
    const role = `su_${randomBytes(4).toString('hex')}`;
    await exec(db.url, `create role ${role} nologin superuser`);
    try {
      const env = { SU_ROLE_NAME: role };
      const up = await runCli(['-c', path.join(ROOT, 'alembic.ini'), '--url', db.url, 'upgrade', 'head', '--no-lint'], { cwd: ROOT, env });
      expect(up.code, up.stderr).to.equal(0);
      const check = await runCli(['-c', path.join(ROOT, 'alembic.ini'), '--url', db.url, 'check'], { cwd: ROOT, env });
      expect(check.code, check.stdout).to.equal(0);
    } finally {
      await exec(db.url, `drop owned by ${role} cascade`);
      await exec(db.url, `drop role ${role}`);
    }
  });
});

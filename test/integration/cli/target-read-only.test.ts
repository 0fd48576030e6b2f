/**
 * pull reads the catalog, and check and revision --autogenerate build the model in the dev
 * database: the target only ever sees catalog reads. Run as a login user that may not create anything in the database, they
 * work, and the target's whole-database schema dump is byte-identical before and after.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, withDatabase, type TestDatabase } from '../../support/database';
import { ROOT, createProject, runCli, type TestProject } from '../../support/cli';
import { spawnSync } from 'node:child_process';

const MODEL = `import { sql } from 'kysely';
import { defineModel, integer, serial, table, text, view } from '${path.join(ROOT, 'src').replace(/\\/g, '/')}';
const station = table('station', { id: serial().primaryKey(), name: text(), elevation: integer() });
export const model = defineModel({ tables: [station], views: [view('station_names', { body: (s) => sql\`select id, name from \${s('station')}\` })] });
`;

/** The whole database's schema, as pg_dump prints it (ownership and grants included). */
function wholeDump(url: string): string {
  const r = spawnSync('pg_dump', ['--schema-only', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.replace(/^\\(un)?restrict .*$/gm, '');
}

describe('cli: the target only sees catalog reads', () => {
  let db: TestDatabase;
  let project: TestProject;
  const app = `retort_app_${randomBytes(4).toString('hex')}`;

  before(async () => {
    db = await createTestDatabase('ro');
    await query(
      db.url,
      `create role "${app}" login; revoke create, temporary on database "${db.name}" from public;
      create schema crmp authorization "${app}"`,
    );
    const url = new URL(withDatabase(db.url, db.name));
    url.username = app;
    project = createProject({
      labels: { dev: url.toString() },
      alembic: { model: 'model.ts' },
      revisions: [
        {
          id: 'aaaa00000001',
          down: null,
          up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('station').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute();`,
          downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();`,
        },
      ],
    });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
  });
  after(async () => {
    project.remove();
    await db.drop();
    await query(db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1'), `drop role if exists "${app}"`);
  });

  it('pull, check (exit 1 on drift) and revision --autogenerate leave the target byte-identical', async () => {
    const privileges = await query<{ create: boolean }>(db.url, `select has_database_privilege($1, current_database(), 'CREATE') as create`, [app]);
    expect(privileges[0]!.create, 'the login user may not create schemas').to.equal(false);
    const before = wholeDump(db.url);
    const pulled = await runCli(['-x', 'db=dev', 'pull', '-o', 'pulled.ts'], { cwd: project.dir });
    expect(pulled.code, pulled.stderr).to.equal(0);
    const check = await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir });
    expect(check.code, check.stderr).to.equal(1);
    expect(check.stdout).to.match(/dev:crmp: 2 difference\(s\) from the model/);
    const gen = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'elevation and names', '--rev-id', 'bbbb00000002'], { cwd: project.dir });
    expect(gen.code, gen.stderr).to.equal(0);
    expect(wholeDump(db.url)).to.equal(before);
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    expect((await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir })).code).to.equal(0);
  });

  it('check exits 2, never 1, when it cannot compare', async () => {
    const r = await runCli(['-x', 'db=dev', 'check', '--dev-url', 'postgresql://nobody:hunter22@127.0.0.1:1/none'], { cwd: project.dir });
    expect(r.code).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr)
      .to.match(/Cannot connect to the dev database/)
      .and.not.contain('hunter22');
  });
});

/**
 * What revision --autogenerate writes and says: the changes it detected, one line each; no file
 * when nothing changed; revisions that pass its own lint; and views whose text PostgreSQL does
 * not print as a fixpoint (a varchar compared with an IN list) converge after one revision.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { ROOT, createProject, runCli, type TestProject } from '../../support/cli';

const src = path.join(ROOT, 'src').replace(/\\/g, '/');
const MODEL_V1 = `import { sql } from 'kysely';
import { defineModel, materializedView, serial, table, varchar, view } from '${src}';
const station = table('station', { id: serial().primaryKey(), kind: varchar(10), name: varchar(100) });
const manual = view('manual_stations', { body: (s) => sql\`select id, name from \${s('station')} where kind in ('manual', 'mixed')\` });
const counts = materializedView('manual_counts', { dependsOn: ['manual_stations'], body: (s) => sql\`select name, count(*) as n from \${s('manual_stations')} group by name\` });
export const model = defineModel({ tables: [station], views: [manual], materializedViews: [counts] });
`;
const MODEL_V2 = MODEL_V1.replace(
  '{ id: serial().primaryKey(), kind: varchar(10), name: varchar(100) })',
  "{ id: serial().primaryKey(), kind: varchar(10), name: varchar(100) }).index('station_name_idx', ['name'])",
);

describe('cli: revision --autogenerate writes what converges, says what it found, and passes lint', () => {
  let db: TestDatabase;
  let project: TestProject;
  const run = (args: string[]) => runCli(['-x', 'db=dev', ...args], { cwd: project.dir });
  before(async () => {
    db = await createTestDatabase('conv');
    await query(db.url, 'create schema crmp');
    project = createProject({ labels: { dev: db.url }, alembic: { model: 'model.ts' } });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL_V1);
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('builds the views, then finds nothing more to do: no second revision, check matches', async () => {
    const first = await run(['revision', '--autogenerate', '-m', 'stations', '--rev-id', 'aaaa00000001']);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout)
      .to.contain("Detected added table 'station'")
      .and.contain("Detected added view 'manual_stations'")
      .and.contain("Detected added materialized view 'manual_counts'");
    expect((await run(['upgrade', 'head'])).code).to.equal(0);
    // the view in the database was built from the deparsed text, the model's from its own: they print differently
    const def = await query<{ d: string }>(db.url, "select pg_get_viewdef('crmp.manual_stations'::regclass) as d");
    expect(def[0]!.d).to.contain('ARRAY[');
    const check = await run(['check']);
    expect(check.code, check.stdout).to.equal(0);
    const again = await run(['revision', '--autogenerate', '-m', 'nothing']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout.trim()).to.equal('No changes detected; no revision written.');
    expect(fs.readdirSync(path.join(project.dir, 'revisions'))).to.have.length(1);
  });

  it('an index on an existing table: the revision names the rule it trips and why, and lint passes', async () => {
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL_V2);
    const gen = await run(['revision', '--autogenerate', '-m', 'name index', '--rev-id', 'aaaa00000002']);
    expect(gen.code, gen.stderr).to.equal(0);
    expect(gen.stdout).to.contain("Detected added index 'station_name_idx' on 'station'");
    const file = fs.readdirSync(path.join(project.dir, 'revisions')).find((f) => f.startsWith('aaaa00000002'))!;
    expect(fs.readFileSync(path.join(project.dir, 'revisions', file), 'utf8')).to.match(
      /^\/\/ retort-lint-disable index-not-concurrent -- generated: .*CREATE INDEX CONCURRENTLY$/m,
    );
    const lint = await runCli(['lint'], { cwd: project.dir });
    expect(lint.code, lint.stdout).to.equal(0);
    expect(lint.stdout).to.match(/0 errors, 0 warnings/);
    expect((await run(['upgrade', 'head'])).code).to.equal(0);
    expect((await run(['check'])).code).to.equal(0);
  });
});

describe('cli: a model that needs an object of another schema the database lacks', () => {
  let db: TestDatabase;
  let project: TestProject;
  before(async () => {
    db = await createTestDatabase('outside');
    await query(db.url, 'create schema crmp');
    project = createProject({ labels: { dev: db.url }, alembic: { model: 'model.ts' } });
    fs.writeFileSync(
      path.join(project.dir, 'model.ts'),
      `import { defineModel, integer, serial, table } from '${src}';
export const model = defineModel({ tables: [table('station', { id: serial().primaryKey(), country_id: integer().references({ schema: 'ref', table: 'country' }, 'id') })] });
`,
    );
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('stops check and autogenerate with the missing object named, exit 2, before writing anything', async () => {
    const devDb = await createTestDatabase('outside_dev');
    try {
      // the dev database has the other schema (the model builds), the target does not
      await query(devDb.url, 'create schema ref; create table ref.country (id int primary key)');
      for (const args of [['check'], ['revision', '--autogenerate', '-m', 'x']]) {
        const r = await runCli(['-x', 'db=dev', ...args, '--dev-url', devDb.url], { cwd: project.dir });
        expect(r.code, r.stdout + r.stderr).to.equal(2);
        expect(r.stderr.trim()).to.match(/The model needs relation ref\.country, which database dev does not have/);
      }
      expect(fs.readdirSync(path.join(project.dir, 'revisions'))).to.deep.equal([]);
    } finally {
      await devDb.drop();
    }
  });
});

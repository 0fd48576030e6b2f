import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_NAME } from '../../../src/package-info';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, runCli, type TestProject } from '../../support/cli';

/**
 * A model written as a user writes it: everything, `sql` included, imported from the package by
 * name, in a project folder without node_modules of its own.
 */
const MODEL = `import * as kysely from 'kysely';
import { defineModel, serial, sql, table, text } from '${PACKAGE_NAME}';
// The CLI runs the model's SQL through its own Kysely: both must be one kysely module.
if (sql !== kysely.sql) throw new Error('the model was given a second copy of kysely');
const station = table('station', { id: serial().primaryKey(), name: text().notNull().defaultTo(sql\`'unnamed'\`) });
export const model = defineModel({ tables: [station] });
`;

describe('cli: a model that imports the package by name', () => {
  let db: TestDatabase;
  let dev: TestDatabase;
  let project: TestProject;
  beforeEach(async () => {
    db = await createTestDatabase('pkgimport');
    dev = await createTestDatabase('pkgimportdev');
    await query(db.url, 'create schema app');
    project = createProject({ labels: { dev: db.url }, alembic: { schema_name: 'app', model: 'model.ts', dev_url: dev.url } });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
    await dev.drop();
  });

  it('gets the running CLI: its sql is the kysely the CLI runs, and autogenerate, upgrade and check agree', async () => {
    const drift = await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir });
    expect(drift.code, drift.stderr).to.equal(1);
    const gen = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'first', '--rev-id', 'aaaa00000001'], { cwd: project.dir });
    expect(gen.code, gen.stderr).to.equal(0);
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    const same = await runCli(['-x', 'db=dev', 'check'], { cwd: project.dir });
    expect(same.code, `${same.stdout}${same.stderr}`).to.equal(0);
    const [row] = await query<{ d: string }>(
      db.url,
      "select column_default as d from information_schema.columns where table_schema = 'app' and table_name = 'station' and column_name = 'name'",
    );
    expect(row!.d).to.equal("'unnamed'::text");
  });
});

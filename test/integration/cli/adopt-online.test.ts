/**
 * A database that is already online, with data and no migration scripts (the "Migration of
 * databases already online" recipe of an Alembic project): pull a model from it, write the
 * baseline, stamp it, change the model, autogenerate, upgrade. The rows stay, and the target
 * only ever saw catalog reads until the upgrade.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, runCli, type TestProject } from '../../support/cli';

const ONLINE = `
create schema storage;
create table storage.file_meta_data (file_id serial primary key, location text not null, size_bytes bigint, created timestamptz not null default now());
create table storage.tokens (token_id serial primary key, file_id integer references storage.file_meta_data on delete cascade, token text unique);
create index file_meta_data_location_idx on storage.file_meta_data (location);
create view storage.big_files as select file_id, location from storage.file_meta_data where size_bytes > 1000000;
insert into storage.file_meta_data (location, size_bytes) values ('s3://a', 10), ('s3://b', 20000000);
insert into storage.tokens (file_id, token) values (1, 'x'), (2, 'y');
`;

function wholeDump(url: string): string {
  const r = spawnSync('pg_dump', ['--schema-only', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.replace(/^\\(un)?restrict .*$/gm, '');
}

describe('cli: adopting a database that is already online (pull, baseline, stamp, autogenerate)', () => {
  let db: TestDatabase;
  let project: TestProject;
  const run = (args: string[]) => runCli(['-x', 'db=prod', ...args], { cwd: project.dir });

  before(async () => {
    db = await createTestDatabase('online');
    await query(db.url, ONLINE);
    project = createProject({ labels: { prod: db.url }, alembic: { schema_name: 'storage' } });
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('keeps the rows and ends with the database matching the changed model', async () => {
    const before = wholeDump(db.url);
    const pulled = await run(['pull', '-o', 'model/index.ts']);
    expect(pulled.code, pulled.stderr).to.equal(0);
    expect(pulled.stdout)
      .to.match(/Wrote .*model\/index\.ts: prod:storage, 2 tables, 1 views/)
      .and.match(/Add "model = model\/index\.ts" to \[alembic\]/);
    const source = fs.readFileSync(path.join(project.dir, 'model', 'index.ts'), 'utf8');
    expect(source)
      .to.contain("table('file_meta_data'")
      .and.not.match(/storage\./);
    expect((await run(['pull', '-o', 'model/index.ts'])).code, 'pull never overwrites without --force').to.equal(2);

    const ini = path.join(project.dir, 'alembic.ini');
    fs.appendFileSync(ini, '');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('[alembic]\n', '[alembic]\nmodel = model/index.ts\n'));
    expect((await run(['check'])).code, 'the pulled model matches the database it came from').to.equal(0);

    const base = await run(['revision', '--autogenerate', '--baseline', '-m', 'Init tables', '--rev-id', '86fca23596da']);
    expect(base.code, base.stderr).to.equal(0);
    expect(wholeDump(db.url), 'pull, check and the baseline only read the target').to.equal(before);

    const stamp = await run(['stamp', 'head']);
    expect(stamp.code, stamp.stderr).to.equal(0);
    expect((await run(['current'])).stdout.trim()).to.equal('86fca23596da (head)');

    // the team changes the model: a column, as in "Added column to file_meta_data"
    fs.writeFileSync(
      path.join(project.dir, 'model', 'index.ts'),
      source.replace(/(table\('file_meta_data', \{\n)/, '$1  checksum: text(),\n').replace(/import \{ /, 'import { text, '),
    );
    const gen = await run(['revision', '--autogenerate', '-m', 'Added column to file_meta_data']);
    expect(gen.code, gen.stderr + gen.stdout).to.equal(0);
    expect(gen.stdout).to.match(/1 operation\(s\)/);
    const up = await run(['upgrade', 'head']);
    expect(up.code, up.stderr).to.equal(0);
    expect(await query(db.url, 'select location, size_bytes::int as size, checksum from storage.file_meta_data order by file_id')).to.deep.equal([
      { location: 's3://a', size: 10, checksum: null },
      { location: 's3://b', size: 20000000, checksum: null },
    ]);
    expect((await query<{ n: number }>(db.url, 'select count(*)::int as n from storage.tokens'))[0]!.n).to.equal(2);
    expect((await run(['check'])).code).to.equal(0);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, ROOT, runCli, tableRevision, type TestProject } from '../../support/cli';
import { userCacheDir } from '../../../src/config/user-dirs';
import { readCodeCache } from '../../../src/loader/code-cache';

describe('cli: the bundled launcher, RETORT_TIMINGS and revisions that use import()', () => {
  let db: TestDatabase;
  let project: TestProject | undefined;
  beforeEach(async () => {
    db = await createTestDatabase('timings');
    await query(db.url, 'create schema crmp');
  });
  afterEach(async () => {
    project?.remove();
    project = undefined;
    await db.drop();
  });

  it('runs from dist/cli.bundle.js, keeps its V8 code cache in the per-user cache folder, and writes nothing into the project or dist/', async () => {
    project = createProject({ labels: { dev: db.url }, revisions: [tableRevision('aaaa00000001', null, 'network')] });
    const bundle = path.join(ROOT, 'dist', 'cli.bundle.js');
    expect(fs.existsSync(bundle)).to.equal(true);
    const before = fs.readdirSync(path.join(ROOT, 'dist')).sort();
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(readCodeCache(bundle, path.join(userCacheDir(), 'code'))?.tags).to.include('upgrade');
    expect(fs.readdirSync(path.join(ROOT, 'dist')).sort(), 'dist/ as built').to.deep.equal(before);
    expect(fs.readdirSync(project.dir).sort(), 'the project as written').to.deep.equal(['alembic.ini', 'revisions']);
    expect(fs.readdirSync(path.join(project.dir, 'revisions'))).to.have.length(1);
  });

  it('prints where the time went with RETORT_TIMINGS=1, and nothing extra without it', async () => {
    project = createProject({
      labels: { dev: db.url },
      revisions: [tableRevision('aaaa00000001', null, 'network'), tableRevision('bbbb00000002', 'aaaa00000001', 'station')],
    });
    const timed = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, env: { RETORT_TIMINGS: '1' } });
    expect(timed.code, timed.stderr).to.equal(0);
    const line = timed.stderr.split('\n').find((l) => l.startsWith('timings: '));
    expect(line, timed.stderr).to.match(
      /^timings: start \d+ ms, revisions loaded \d+ ms, connected \d+ ms, first step \d+ ms, last step \d+ ms, committed \d+ ms, done \d+ ms; (\d+) queries, \d+ ms waiting on the server$/,
    );
    // 2 DDL statements plus the session's own (lock, heads, search_path, BEGIN, version tables, bookkeeping, COMMIT).
    expect(Number(/; (\d+) queries/.exec(line!)![1])).to.be.greaterThan(2);
    const plain = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir });
    expect(plain.code, plain.stderr).to.equal(0);
    expect(plain.stderr).to.not.match(/timings:/);
  });

  it('runs a revision that uses a dynamic import() (loaded without the code cache)', async () => {
    project = createProject({
      labels: { dev: db.url },
      revisions: [
        {
          id: 'aaaa00000001',
          down: null,
          message: 'table named by an imported module',
          up: `  const { basename } = await import('node:path');
  await ctx.db.schema.withSchema(ctx.schema).createTable(basename('/x/imported')).addColumn('id', 'integer').execute();`,
          downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('imported').execute();`,
        },
      ],
    });
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    expect(
      await query<{ t: string }>(db.url, "select table_name as t from information_schema.tables where table_schema = 'crmp' and table_name = 'imported'"),
    ).to.have.length(1);
    const down = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir });
    expect(down.code, down.stderr).to.equal(0);
    expect(await query(db.url, "select 1 from information_schema.tables where table_schema = 'crmp' and table_name = 'imported'")).to.have.length(0);
  });
});

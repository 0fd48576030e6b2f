import { expect } from 'chai';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, runCli, type TestProject } from '../../support/cli';

describe('cli: diff --exit-code (as git diff --exit-code)', () => {
  let db: TestDatabase;
  let project: TestProject;
  const diff = (to: string, ...flags: string[]) => runCli(['diff', '--from', 'dev:a', '--to', `dev:${to}`, ...flags], { cwd: project.dir });

  before(async () => {
    db = await createTestDatabase('dexit');
    // a and same match; other has one more table.
    await query(
      db.url,
      'create schema a; create schema same; create schema other; create table a.t (id int); create table same.t (id int); create table other.t (id int); create table other.u (id int)',
    );
    project = createProject({ labels: { dev: db.url } });
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('exits 1 when the schemas differ, 0 when they match', async () => {
    const differ = await diff('other', '--exit-code');
    expect(differ.code, differ.stderr).to.equal(1);
    expect(differ.stdout).to.match(/operation\(s\) turn dev:a into dev:other/);
    const match = await diff('same', '--exit-code');
    expect(match.code, match.stderr).to.equal(0);
    expect(match.stdout).to.match(/dev:a and dev:same match/);
  });

  it('without it, exits 0 either way', async () => {
    expect((await diff('other')).code).to.equal(0);
    expect((await diff('same')).code).to.equal(0);
  });

  it('with --sql and with --json too', async () => {
    const sql = await diff('other', '--exit-code', '--sql');
    expect(sql.code).to.equal(1);
    expect(sql.stdout).to.match(/create table/i);
    const json = await diff('other', '--exit-code', '--json');
    expect(json.code).to.equal(1);
    const e = JSON.parse(json.stdout) as { ok: boolean; error: { code: string }; result: { differences: number } };
    expect(e.ok).to.equal(false);
    expect(e.error.code).to.equal('DIFFERENCES');
    expect(e.result.differences).to.be.greaterThan(0);
    const same = JSON.parse((await diff('same', '--exit-code', '--json')).stdout) as { ok: boolean; result: { differences: number } };
    expect(same).to.deep.include({ ok: true });
    expect(same.result.differences).to.equal(0);
  });

  it('an error still exits 2, not 1: a failure to compare never reads as a difference', async () => {
    const r = await diff('missing', '--exit-code');
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^migrate: error: Schema "missing" does not exist/);
  });
});

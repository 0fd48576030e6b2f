import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { CRMP_MODEL, createProject, runCli } from '../../support/cli';

describe('cli: autogenerate round trip of the reference schema', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('agrt');
    await exec(db.url, 'create schema crmp');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('autogenerating the reference schema against an empty schema rebuilds it; its downgrade empties it', async () => {
    const role = `su_${randomBytes(4).toString('hex')}`;
    await exec(db.url, `create role ${role} nologin superuser`);
    const empty = createProject({ labels: { dev: db.url }, alembic: { model: CRMP_MODEL } });
    try {
      const env = { SU_ROLE_NAME: role };
      const gen = await runCli(['-x', 'db=dev', 'revision', '--autogenerate', '-m', 'initial', '--rev-id', 'f00000000001'], { cwd: empty.dir, env });
      expect(gen.code, gen.stderr).to.equal(0);
      const up = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: empty.dir, env });
      expect(up.code, up.stderr).to.equal(0);
      const check = await runCli(['-x', 'db=dev', 'check'], { cwd: empty.dir, env });
      expect(check.code, check.stdout).to.equal(0);
      const down = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: empty.dir, env });
      expect(down.code, down.stderr).to.equal(0);
      const left = await exec(
        db.url,
        "select c.relname from pg_class c where c.relnamespace = 'crmp'::regnamespace and c.relkind in ('r','v','m','S') order by 1",
      );
      expect(left.map((r) => r.relname)).to.deep.equal(['alembic_version', 'alembic_version_history']);
      expect(await exec(db.url, "select 1 from pg_proc where pronamespace = 'crmp'::regnamespace")).to.have.length(0);
    } finally {
      empty.remove();
      await exec(db.url, `drop owned by ${role} cascade`);
      await exec(db.url, `drop role ${role}`);
    }
  });
});

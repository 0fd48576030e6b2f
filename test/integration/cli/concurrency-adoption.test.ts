import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { connectionSettings } from '../../../src/target/connection-settings';
import { acquireAdvisoryLock, migrationLockKey } from '../../../src/target/advisory-lock';
import { openSession } from '../../../src/target/session';
import { createTestDatabase, type TestDatabase, query } from '../../support/database';
import { createProject, runCli, tableRevision, type RevisionSpec, type TestProject } from '../../support/cli';

/**
 * Revisions that each insert a row into a counter table: a revision applied twice shows as a duplicate.
 * The first holds the lock for 0.3 s, so on a loaded machine the other processes still arrive while it runs.
 */
function countingRevisions(n: number): RevisionSpec[] {
  const out: RevisionSpec[] = [
    {
      id: 'c0000000000',
      down: null,
      message: 'counter',
      up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('applied').addColumn('rev', 'text', (c) => c.primaryKey()).execute();
  await ctx.db.withSchema(ctx.schema).insertInto('applied').values({ rev: ctx.revision }).execute();
  await ctx.sql\`select pg_sleep(0.3)\`.execute(ctx.db);`,
      downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('applied').execute();`,
    },
  ];
  for (let i = 1; i <= n; i++) {
    out.push({
      id: `c${String(i).padStart(10, '0')}`,
      down: out[out.length - 1]!.id,
      message: `step ${i}`,
      up: `  await ctx.db.withSchema(ctx.schema).insertInto('applied').values({ rev: ctx.revision }).execute();
  await ctx.sql\`select pg_sleep(0.02)\`.execute(ctx.db);`,
      downBody: `  await ctx.db.withSchema(ctx.schema).deleteFrom('applied').where('rev', '=', ctx.revision).execute();`,
    });
  }
  return out;
}

describe('cli: concurrency, locking, Alembic adoption, superuser role', () => {
  let db: TestDatabase;
  let project: TestProject;

  beforeEach(async () => {
    db = await createTestDatabase('conc');
    await query(db.url, 'create schema crmp; create schema other');
  });
  afterEach(async () => {
    project?.remove();
    await db.drop();
  });

  it('8 concurrent "upgrade head" processes on one target apply each revision exactly once, all exit 0', async () => {
    project = createProject({ labels: { dev: db.url }, revisions: countingRevisions(6) });
    // Compile the revision cache once so the eight processes race on the database, not on esbuild.
    expect((await runCli(['history'], { cwd: project.dir })).code).to.equal(0);
    const runs = await Promise.all(Array.from({ length: 8 }, () => runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir })));
    for (const r of runs) expect(r.code, r.stderr).to.equal(0);
    const applied = await query<{ rev: string }>(db.url, 'select rev from crmp.applied order by rev');
    expect(applied.map((a) => a.rev)).to.deep.equal(
      countingRevisions(6)
        .map((r) => r.id)
        .sort(),
    );
    const stepLines = runs.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('Running upgrade')));
    expect(stepLines).to.have.length(7);
    expect(runs.filter((r) => /nothing to do/.test(r.stdout))).to.have.length(7);
    expect(runs.some((r) => /Waiting for the migration lock on dev:crmp/.test(r.stderr))).to.equal(true);
    const hist = await query<{ n: number }>(db.url, "select count(*)::int as n from crmp.alembic_version_history where direction = 'upgrade'");
    expect(hist[0]!.n).to.equal(7);
  });

  it('different schemas of one database do not block each other; the same schema waits up to --lock-timeout', async () => {
    project = createProject({ labels: { dev: db.url }, revisions: [tableRevision('aaaa00000001', null, 'network')] });
    const holder = await openSession({ settings: connectionSettings(db.url, {}), name: 'database dev', baseDir: project.dir });
    try {
      // Hold crmp's lock as another migration would.
      await acquireAdvisoryLock(holder.db, migrationLockKey('crmp'), { what: 'the migration lock on dev:crmp', database: 'database dev', timeoutMs: 1000 });
      const other = await runCli(['-x', 'db=dev', '-x', 'schema=other', 'upgrade', 'head'], { cwd: project.dir });
      expect(other.code, other.stderr).to.equal(0);
      const blocked = await runCli(['-x', 'db=dev', '--lock-timeout', '1', 'upgrade', 'head'], { cwd: project.dir });
      expect(blocked.code).to.equal(2);
      expect(blocked.stderr).to.match(new RegExp(`Waiting for the migration lock on dev:crmp, held by backend pid ${holder.pid} \\(retort, connected at`));
      expect(blocked.stderr).to.match(/Another command holds the migration lock on dev:crmp .*gave up after 1 s/);
      expect(await query(db.url, "select 1 from pg_tables where schemaname = 'crmp' and tablename = 'network'")).to.have.length(0);
    } finally {
      await holder.close();
    }
  });

  it('adopts a database that Alembic manages: same version table, upgrade continues from its revision', async () => {
    project = createProject({
      labels: { dev: db.url },
      revisions: [tableRevision('522eed334c85', null, 'network'), tableRevision('7a3b9c0d1e2f', '522eed334c85', 'station')],
    });
    // Exactly what Alembic creates (alembic/runtime/migration.py: version_num varchar(32), pk alembic_version_pkc).
    await query(
      db.url,
      `create table crmp.network (id serial primary key, name text);
       create table crmp.alembic_version (version_num varchar(32) not null, constraint alembic_version_pkc primary key (version_num));
       insert into crmp.alembic_version values ('522eed334c85');`,
    );
    expect((await runCli(['-x', 'db=dev', 'current'], { cwd: project.dir })).stdout.trim()).to.equal('522eed334c85');
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    const lines = up.stdout.trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('Running upgrade 522eed334c85 -> 7a3b9c0d1e2f, create station ...');
    expect(lines[1]).to.match(/^Upgraded 522eed334c85 -> 7a3b9c0d1e2f in [\d.]+ m?s$/);
    const v = await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version');
    expect(v.map((r) => r.version_num)).to.deep.equal(['7a3b9c0d1e2f']);
    // The table keeps Alembic's layout, so Alembic can still read it.
    const cols = await query<{ column_name: string; data_type: string; character_maximum_length: number }>(
      db.url,
      "select column_name, data_type, character_maximum_length from information_schema.columns where table_schema = 'crmp' and table_name = 'alembic_version'",
    );
    expect(cols).to.deep.equal([{ column_name: 'version_num', data_type: 'character varying', character_maximum_length: 32 }]);
  });

  it('asSuperuser runs as the SU role and everything else does not', async () => {
    const role = `su_${randomBytes(4).toString('hex')}`;
    const login = `login_${randomBytes(4).toString('hex')}`;
    await query(
      db.url,
      `create role ${role} nologin superuser; create role ${login} login; grant ${role} to ${login}; grant all on schema crmp to ${login}; grant create on database ${db.name} to ${login}`,
    );
    try {
      const u = new URL(db.url);
      u.username = login;
      project = createProject({
        labels: { dev: u.toString() },
        revisions: [
          tableRevision('aaaa00000001', null, 'network'),
          {
            id: 'bbbb00000002',
            down: 'aaaa00000001',
            message: 'privileged function',
            up: `  await ctx.asSuperuser((db) => ctx.sql\`create function \${ctx.sql.id(ctx.schema, 'who')}() returns text language sql as 'select current_user::text'\`.execute(db));
  await ctx.db.schema.withSchema(ctx.schema).createTable('after_su').addColumn('id', 'integer').execute();`,
            downBody: `  await ctx.asSuperuser((db) => ctx.sql\`drop function \${ctx.sql.id(ctx.schema, 'who')}()\`.execute(db));
  await ctx.db.schema.withSchema(ctx.schema).dropTable('after_su').execute();`,
          },
        ],
      });
      const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, env: { SU_ROLE_NAME: role } });
      expect(r.code, r.stderr).to.equal(0);
      const owners = await query<{ name: string; owner: string }>(
        db.url,
        `select p.proname as name, pg_get_userbyid(p.proowner) as owner from pg_proc p where p.pronamespace = 'crmp'::regnamespace
         union all select c.relname, pg_get_userbyid(c.relowner) from pg_class c where c.relnamespace = 'crmp'::regnamespace and c.relkind = 'r'
         order by 1`,
      );
      const byName = Object.fromEntries(owners.map((o) => [o.name, o.owner]));
      expect(byName.who).to.equal(role);
      expect(byName.after_su).to.equal(login);
      expect(byName.network).to.equal(login);
      const hist = await query<{ revision: string; role_used: string; db_user: string }>(
        db.url,
        'select revision, role_used, db_user from crmp.alembic_version_history order by applied_at',
      );
      expect(hist).to.deep.equal([
        { revision: 'aaaa00000001', role_used: login, db_user: login },
        { revision: 'bbbb00000002', role_used: role, db_user: login },
      ]);
      const denied = `nosu_${randomBytes(4).toString('hex')}`;
      await query(db.url, `create role ${denied} nologin`);
      try {
        const d = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir, env: { SU_ROLE_NAME: denied } });
        expect(d.code).to.equal(2);
        expect(d.stderr).to.match(new RegExp(`may not SET ROLE "${denied}"`));
      } finally {
        await query(db.url, `drop role ${denied}`);
      }
      const down = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir, env: { SU_ROLE_NAME: role } });
      expect(down.code, down.stderr).to.equal(0);
    } finally {
      await query(db.url, `drop owned by ${login} cascade; drop owned by ${role} cascade`);
      await query(db.url, `drop role ${login}; drop role ${role}`);
    }
  });
});

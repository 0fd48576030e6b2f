import { expect } from 'chai';
import { createTestDatabase, type TestDatabase, query } from '../../support/database';
import { createProject, dumpSchema, psql, runCli, tableRevision, type TestProject } from '../../support/cli';

describe('cli: upgrade, downgrade, current, history, stamp (end to end)', () => {
  let db: TestDatabase;
  let project: TestProject;
  const revs = [
    tableRevision('aaaa00000001', null, 'network'),
    tableRevision('bbbb00000002', 'aaaa00000001', 'station'),
    {
      id: 'cccc00000003',
      down: 'bbbb00000002',
      message: 'add a view and a function',
      up: `  await ctx.sql\`create function \${ctx.sql.id(ctx.schema, 'station_count')}() returns bigint language sql as 'select count(*) from station'\`.execute(ctx.db);
  await ctx.sql\`create view \${ctx.sql.id(ctx.schema, 'station_names')} as select name from station\`.execute(ctx.db);`,
      downBody: `  await ctx.sql\`drop view \${ctx.sql.id(ctx.schema, 'station_names')}\`.execute(ctx.db);
  await ctx.sql\`drop function \${ctx.sql.id(ctx.schema, 'station_count')}()\`.execute(ctx.db);`,
    },
  ];

  beforeEach(async () => {
    db = await createTestDatabase('cli');
    await query(db.url, 'create schema crmp');
    project = createProject({ labels: { dev: db.url }, revisions: revs });
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('upgrades to head printing a line before and after each step, and current shows head', async () => {
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    const lines = up.stdout.trim().split('\n');
    expect(lines).to.have.length(6);
    expect(lines[0]).to.equal('Running upgrade <base> -> aaaa00000001, create network ...');
    expect(lines[1]).to.match(/^Upgraded <base> -> aaaa00000001 in [\d.]+ m?s$/);
    expect(lines[4]).to.equal('Running upgrade bbbb00000002 -> cccc00000003, add a view and a function ...');
    expect(lines[5]).to.match(/^Upgraded bbbb00000002 -> cccc00000003 in [\d.]+ m?s$/);
    const version = await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version');
    expect(version.map((r) => r.version_num)).to.deep.equal(['cccc00000003']);
    const hist = await query<{ revision: string; direction: string; db_user: string }>(
      db.url,
      'select revision, direction, db_user from crmp.alembic_version_history order by applied_at',
    );
    expect(hist.map((h) => `${h.direction}:${h.revision}`)).to.deep.equal(['upgrade:aaaa00000001', 'upgrade:bbbb00000002', 'upgrade:cccc00000003']);
    const cur = await runCli(['-x', 'db=dev', 'current'], { cwd: project.dir });
    expect(cur.stdout.trim()).to.equal('cccc00000003 (head)');
    const again = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/already at cccc00000003; nothing to do/);
  });

  it('downgrades to a revision, by relative step and to base', async () => {
    await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const down = await runCli(['-x', 'db=dev', 'downgrade', 'aaaa'], { cwd: project.dir });
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stdout).to.match(/Running downgrade cccc00000003 -> bbbb00000002/);
    expect(down.stdout).to.match(/Running downgrade bbbb00000002 -> aaaa00000001/);
    const tables = await query<{ tablename: string }>(db.url, "select tablename from pg_tables where schemaname = 'crmp' order by 1");
    expect(tables.map((t) => t.tablename)).to.deep.equal(['alembic_version', 'alembic_version_history', 'network']);
    expect((await runCli(['-x', 'db=dev', 'upgrade', '+1'], { cwd: project.dir })).stdout).to.match(/aaaa00000001 -> bbbb00000002/);
    expect((await runCli(['-x', 'db=dev', 'downgrade', '-1'], { cwd: project.dir })).stdout).to.match(/bbbb00000002 -> aaaa00000001/);
    const base = await runCli(['-x', 'db=dev', 'downgrade', 'base'], { cwd: project.dir });
    expect(base.code).to.equal(0);
    expect((await runCli(['-x', 'db=dev', 'current'], { cwd: project.dir })).stdout.trim()).to.equal('<base>');
    const left = await query<{ tablename: string }>(db.url, "select tablename from pg_tables where schemaname = 'crmp' order by 1");
    expect(left.map((t) => t.tablename)).to.deep.equal(['alembic_version', 'alembic_version_history']);
  });

  it('--json reports steps as data', async () => {
    const up = await runCli(['-x', 'db=dev', '--json', 'upgrade', 'bbbb'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    const parsed = (
      JSON.parse(up.stdout) as { targets: Array<{ result: { from: string[]; to: string[]; steps: Array<{ revision: string; direction: string }> } }> }
    ).targets[0]!.result;
    expect(parsed.from).to.deep.equal([]);
    expect(parsed.to).to.deep.equal(['bbbb00000002']);
    expect(parsed.steps.map((s) => s.revision)).to.deep.equal(['aaaa00000001', 'bbbb00000002']);
  });

  it('history, heads, show and branches need no database', async () => {
    const h = await runCli(['history'], { cwd: project.dir });
    expect(h.code, h.stderr).to.equal(0);
    expect(h.stdout.trim().split('\n')).to.deep.equal([
      'bbbb00000002 -> cccc00000003 (head), add a view and a function',
      'aaaa00000001 -> bbbb00000002, create station',
      '<base> -> aaaa00000001, create network',
    ]);
    expect((await runCli(['history', '-r', 'aaaa:bbbb'], { cwd: project.dir })).stdout.trim().split('\n')).to.have.length(2);
    expect((await runCli(['heads'], { cwd: project.dir })).stdout.trim()).to.equal('bbbb00000002 -> cccc00000003 (head), add a view and a function');
    const show = await runCli(['show', 'bbbb'], { cwd: project.dir });
    expect(show.stdout)
      .to.match(/Rev: bbbb00000002/)
      .and.match(/Parent: aaaa00000001/)
      .and.match(/create station/);
    expect((await runCli(['branches'], { cwd: project.dir })).stdout.trim()).to.equal('');
  });

  it('stamps without running revisions, and upgrades from the stamp', async () => {
    const s = await runCli(['-x', 'db=dev', 'stamp', 'aaaa00000001'], { cwd: project.dir });
    expect(s.code, s.stderr).to.equal(0);
    expect(s.stdout).to.match(/Stamped dev:crmp: <base> -> aaaa00000001/);
    // The network table was never created: stamping runs nothing.
    expect(await query(db.url, "select 1 from pg_tables where schemaname = 'crmp' and tablename = 'network'")).to.have.length(0);
    await query(db.url, 'create table crmp.network (id serial primary key, name text)');
    const up = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    // Two steps, a line as each starts and one as it ends.
    expect(
      up.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('Running upgrade')),
    ).to.have.length(2);
    const base = await runCli(['-x', 'db=dev', 'stamp', 'base'], { cwd: project.dir });
    expect(base.code).to.equal(0);
    expect(await query(db.url, 'select * from crmp.alembic_version')).to.have.length(0);
    await query(db.url, "insert into crmp.alembic_version values ('ffffffffffff')");
    const unknown = await runCli(['-x', 'db=dev', 'stamp', 'head'], { cwd: project.dir });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/ffffffffffff, which no file in .* defines/);
    const purge = await runCli(['-x', 'db=dev', 'stamp', '--purge', 'head'], { cwd: project.dir });
    expect(purge.code, purge.stderr).to.equal(0);
    expect((await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version')).map((r) => r.version_num)).to.deep.equal([
      'cccc00000003',
    ]);
  });

  it('one set of revisions in two schemas of one database, independently', async () => {
    await query(db.url, 'create schema tenant_b');
    const a = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    const b = await runCli(['-x', 'db=dev', 'upgrade', 'bbbb'], { cwd: project.dir, env: { SCHEMA_NAME: 'tenant_b' } });
    expect(a.code, a.stderr).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);
    expect((await runCli(['-x', 'db=dev', 'current'], { cwd: project.dir })).stdout.trim()).to.equal('cccc00000003 (head)');
    expect((await runCli(['-x', 'db=dev', '-x', 'schema=tenant_b', 'current'], { cwd: project.dir })).stdout.trim()).to.equal('bbbb00000002');
    const views = await query<{ schemaname: string }>(db.url, "select schemaname from pg_views where viewname = 'station_names'");
    expect(views.map((v) => v.schemaname)).to.deep.equal(['crmp']);
    // The view in crmp reads crmp.station, not another schema's table.
    const def = await query<{ d: string }>(db.url, "select pg_get_viewdef('crmp.station_names'::regclass) as d");
    expect(def[0]!.d).to.match(/FROM crmp\.station/);
  });

  it('one set of revisions in two labelled databases', async () => {
    const other = await createTestDatabase('cli2');
    try {
      await query(other.url, 'create schema crmp');
      const two = createProject({ labels: { dev: db.url, test: other.url }, revisions: revs });
      try {
        expect((await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: two.dir })).code).to.equal(0);
        expect((await runCli(['-x', 'db=test', 'upgrade', 'aaaa'], { cwd: two.dir })).code).to.equal(0);
        expect((await runCli(['-x', 'db=dev', 'current'], { cwd: two.dir })).stdout.trim()).to.equal('cccc00000003 (head)');
        expect((await runCli(['-x', 'db=test', 'current'], { cwd: two.dir })).stdout.trim()).to.equal('aaaa00000001');
      } finally {
        two.remove();
      }
    } finally {
      await other.drop();
    }
  });

  it('--sql output applied with psql gives the same catalog as an online upgrade', async () => {
    const offline = await createTestDatabase('off');
    try {
      await query(offline.url, 'create schema crmp');
      const script = await runCli(['upgrade', '--sql', 'head'], { cwd: project.dir });
      expect(script.code, script.stderr).to.equal(0);
      expect(script.stdout)
        .to.match(/^BEGIN;$/m)
        .and.match(/^COMMIT;$/m);
      expect(script.stdout).to.not.match(/\$\d/);
      const applied = psql(offline.url, ['-f', '-'], script.stdout);
      expect(applied.code, applied.stderr).to.equal(0);
      expect((await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir })).code).to.equal(0);
      expect(dumpSchema(offline.url)).to.equal(dumpSchema(db.url));
      const v = await query<{ version_num: string }>(offline.url, 'select version_num from crmp.alembic_version');
      expect(v.map((r) => r.version_num)).to.deep.equal(['cccc00000003']);
      // Downgrade offline needs a starting point; from:to renders it.
      const down = await runCli(['downgrade', '--sql', 'head:aaaa'], { cwd: project.dir });
      expect(down.code, down.stderr).to.equal(0);
      expect(psql(offline.url, ['-f', '-'], down.stdout).code).to.equal(0);
      expect((await query<{ version_num: string }>(offline.url, 'select version_num from crmp.alembic_version'))[0]!.version_num).to.equal('aaaa00000001');
    } finally {
      await offline.drop();
    }
  });

  it('--sql uses the schema named at run time', async () => {
    const script = await runCli(['upgrade', '--sql', 'head'], { cwd: project.dir, env: { SCHEMA_NAME: 'other_schema' } });
    expect(script.stdout).to.include('"other_schema"."station"');
    expect(script.stdout).to.not.include('"crmp"');
  });

  it('--transaction-per-revision keeps the steps before a failure', async () => {
    project.write({ id: 'dddd00000004', down: 'cccc00000003', message: 'fails', up: `  await ctx.sql\`select * from no_such_table\`.execute(ctx.db);` });
    const r = await runCli(['-x', 'db=dev', 'upgrade', '--transaction-per-revision', 'head'], { cwd: project.dir });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/Revision dddd00000004 \(fails\) failed during upgrade: relation "no_such_table" does not exist/);
    expect((await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version'))[0]!.version_num).to.equal('cccc00000003');
  });

  it('runs a non-transactional revision (CREATE INDEX CONCURRENTLY) outside the transaction', async () => {
    project.write({
      id: 'dddd00000004',
      down: 'cccc00000003',
      message: 'concurrent index',
      extra: 'export const transactional = false;',
      up: `  await ctx.sql\`create index concurrently station_name_idx on \${ctx.sql.id(ctx.schema, 'station')} (name)\`.execute(ctx.db);`,
      downBody: `  await ctx.sql\`drop index concurrently \${ctx.sql.id(ctx.schema, 'station_name_idx')}\`.execute(ctx.db);`,
    });
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(await query(db.url, "select 1 from pg_indexes where schemaname = 'crmp' and indexname = 'station_name_idx'")).to.have.length(1);
    expect((await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version'))[0]!.version_num).to.equal('dddd00000004');
    const d = await runCli(['-x', 'db=dev', 'downgrade', '-1'], { cwd: project.dir });
    expect(d.code, d.stderr).to.equal(0);
  });

  it('--create-schema creates a missing schema', async () => {
    const r = await runCli(['-x', 'db=dev', '-x', 'schema=fresh_one', 'upgrade', '--create-schema', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(await query(db.url, "select 1 from pg_tables where schemaname = 'fresh_one' and tablename = 'station'")).to.have.length(1);
  });
});

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackupError, backupSchema, pgConnectionEnv } from '../../../src/commands/backup';
import { createProject, dumpAll, dumpSchema, psql, runCli, tableRevision, type TestProject } from '../../support/cli';
import { createTestDatabase, testServerUrl, withAdmin, type TestDatabase } from '../../support/database';

const REVISIONS = [
  tableRevision('aaaa00000001', null, 'network'),
  {
    id: 'bbbb00000002',
    down: 'aaaa00000001',
    message: 'stations, a view and a function',
    up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('station').addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('network_id', 'integer', (c) => c.notNull().references('network.id')).addColumn('code', 'varchar(20)').execute();
  await ctx.sql\`create view \${ctx.sql.id(ctx.schema, 'station_codes')} as select code from \${ctx.sql.id(ctx.schema, 'station')}\`.execute(ctx.db);
  await ctx.sql\`create function \${ctx.sql.id(ctx.schema, 'station_count')}() returns bigint language sql as 'select count(*) from station'\`.execute(ctx.db);`,
    downBody: `  await ctx.sql\`drop function \${ctx.sql.id(ctx.schema, 'station_count')}()\`.execute(ctx.db);
  await ctx.sql\`drop view \${ctx.sql.id(ctx.schema, 'station_codes')}\`.execute(ctx.db);
  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();`,
  },
];

/**
 * The catalog of a schema as pg_dump prints it. The history table's CHECK (direction IN (...)) on a
 * varchar column is deparsed differently once re-parsed from a dump (a PostgreSQL quirk, same
 * meaning), so that table is compared by its columns and rows instead.
 */
function catalog(url: string): string {
  return dumpSchema(url, { schema: 'crmp', excludeTables: ['crmp.alembic_version_history'] });
}

function history(url: string): string {
  return psql(url, ['-At', '-c', 'select revision, direction, db_user from crmp.alembic_version_history order by applied_at']).stdout;
}

describe('backup and restore of one schema (pg_dump / pg_restore)', () => {
  let src: TestDatabase;
  let dst: TestDatabase;
  let project: TestProject;
  let backups: string;

  before(async () => {
    src = await createTestDatabase('bksrc');
    dst = await createTestDatabase('bkdst');
    project = createProject({ labels: { src: src.url, dst: dst.url }, alembic: { schema_name: 'crmp' }, revisions: REVISIONS });
    const up = await runCli(['-x', 'db=src', 'upgrade', '--create-schema', 'head'], { cwd: project.dir });
    expect(up.code, up.stderr).to.equal(0);
    const ins = psql(src.url, [
      '-c',
      "insert into crmp.network (name) values ('EC'), ('BCH'); insert into crmp.station (network_id, code) values (1, 'a'), (2, 'b')",
    ]);
    expect(ins.code, ins.stderr).to.equal(0);
    backups = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-backups-'));
  });
  after(async () => {
    project.remove();
    fs.rmSync(backups, { recursive: true, force: true });
    await src.drop();
    await dst.drop();
  });

  it('refuses a --dir that is a file, on /proc, or not writable, in one line and before connecting', async () => {
    const file = path.join(backups, 'a-file');
    fs.writeFileSync(file, 'x');
    for (const [dir, why] of [
      [file, /a-file is a file, not a folder/],
      [path.join(file, 'below'), /a-file is a file, not a folder/],
      ['/proc/self/retort-backups', /pseudo-filesystem/],
    ] as const) {
      const started = Date.now();
      const r = await runCli(['-x', 'db=src', 'backup', '--dir', dir], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(why);
      expect(Date.now() - started).to.be.lessThan(10_000);
    }
    const up = await runCli(['-x', 'db=src', 'upgrade', 'head', '--backup=/proc/self/x'], { cwd: project.dir });
    expect(up.code).to.equal(2);
    expect(up.stderr).to.match(/Cannot keep backups in \/proc\/self\/x/);
  });

  it('backs up into <label>_<schema>_<UTC time>.dump and restores it into a fresh database with the same catalog and data', async () => {
    const before = Date.now();
    const { file, bytes } = await backupSchema({ url: src.url, schema: 'crmp', dir: backups, label: 'src' });
    expect(path.dirname(file)).to.equal(backups);
    const m = /^src_crmp_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z\.dump$/.exec(path.basename(file));
    expect(m, path.basename(file)).to.not.equal(null);
    const stamp = Date.UTC(+m![1]!, +m![2]! - 1, +m![3]!, +m![4]!, +m![5]!, +m![6]!);
    expect(stamp).to.be.within(before - 1000, Date.now());
    expect(bytes).to.equal(fs.statSync(file).size);

    const r = await runCli(['-x', 'db=dst', 'restore', file], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(new RegExp(`^Restored schema "crmp" into dst from ${file.replace(/[.]/g, '\\.')}: at bbbb00000002 \\(\\d+ ms\\)\\n$`));
    expect(catalog(dst.url)).to.equal(catalog(src.url));
    expect(catalog(dst.url)).to.contain('CREATE VIEW crmp.station_codes');
    expect(history(dst.url))
      .to.equal(history(src.url))
      .and.to.match(/^aaaa00000001\|upgrade\|\w+\nbbbb00000002\|upgrade\|\w+\n$/);
    const rows = (url: string) =>
      psql(url, ['-At', '-c', 'select s.code, n.name from crmp.station s join crmp.network n on n.id = s.network_id order by 1']).stdout;
    expect(rows(dst.url)).to.equal(rows(src.url)).and.to.equal('a|EC\nb|BCH\n');
    const cur = await runCli(['-x', 'db=dst', 'current'], { cwd: project.dir });
    expect(cur.stdout.trim()).to.equal('bbbb00000002 (head)');
  });

  it('refuses a schema that holds objects, changing nothing', async () => {
    const { file } = await backupSchema({ url: src.url, schema: 'crmp', dir: backups, label: 'src' });
    const snapshot = dumpAll(dst.url);
    const r = await runCli(['-x', 'db=dst', 'restore', file], { cwd: project.dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(
      /^migrate: error: Schema "crmp" in database dst already holds \d+ objects; restore writes only into an empty or missing schema\. Drop it first \(DROP SCHEMA "crmp" CASCADE\) or restore into another database\.\n$/,
    );
    expect(dumpAll(dst.url)).to.equal(snapshot);
  });

  it('restores into an existing empty schema, and refuses a dump of another schema than -x schema=', async () => {
    const empty = await createTestDatabase('bkempty');
    try {
      expect(psql(empty.url, ['-c', 'create schema crmp']).code).to.equal(0);
      const { file } = await backupSchema({ url: src.url, schema: 'crmp', dir: backups });
      expect(path.basename(file)).to.match(new RegExp(`^${src.name}_crmp_\\d{8}T\\d{6}Z(_\\d+)?\\.dump$`));
      const wrong = await runCli(['--url', empty.url, '-x', 'schema=tenant_a', 'restore', file], { cwd: project.dir });
      expect(wrong.code).to.equal(2);
      expect(wrong.stderr).to.contain(`holds schema "crmp", not "tenant_a"; pg_restore cannot rename a schema`);
      const ok = await runCli(['--url', empty.url, 'restore', file], { cwd: project.dir });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(catalog(empty.url)).to.equal(catalog(src.url));
    } finally {
      await empty.drop();
    }
  });

  it('says pg_dump is missing when it is not on PATH, and leaves no file', async () => {
    const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-nobin-'));
    const dir = path.join(backups, 'nopgdump');
    try {
      const error = await backupSchema({ url: src.url, schema: 'crmp', dir, env: { ...process.env, PATH: emptyBin } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(BackupError);
      expect((error as BackupError).code).to.equal('PG_DUMP_MISSING');
      expect((error as BackupError).message).to.match(
        /^pg_dump is not installed or not on PATH, so Retort cannot back up schema "crmp" of the database\. Install the PostgreSQL client tools/,
      );
      expect(fs.readdirSync(dir)).to.deep.equal([]);
      const cli = await runCli(['-x', 'db=src', 'backup', '--dir', dir], { cwd: project.dir, env: { PATH: emptyBin } });
      expect(cli.code).to.equal(2);
      expect(cli.stderr).to.contain('migrate: error: pg_dump is not installed or not on PATH, so Retort cannot back up schema "crmp" of database src.');
    } finally {
      fs.rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  it('passes the password only through PGPASSWORD and keeps it out of error messages', async () => {
    expect(pgConnectionEnv('postgresql://me:p%40ss@db.example:5433/app?sslmode=require', { PATH: '/bin' })).to.deep.equal({
      PATH: '/bin',
      PGHOST: 'db.example',
      PGPORT: '5433',
      PGUSER: 'me',
      PGDATABASE: 'app',
      PGPASSWORD: 'p@ss',
      PGSSLMODE: 'require',
    });
    // A login role that may connect but not read the tables: pg_dump itself fails.
    const role = `retort_bk_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const server = await testServerUrl();
    await withAdmin(server, (c) => c.query(`create role ${role} login password '${password}'`));
    try {
      psql(src.url, ['-c', `grant usage on schema crmp to ${role}`]);
      const u = new URL(src.url);
      u.username = role;
      u.password = password;
      const error = await backupSchema({ url: u.toString(), schema: 'crmp', dir: backups }).then(
        () => undefined,
        (e: unknown) => e as BackupError,
      );
      expect(error?.code).to.equal('BACKUP_FAILED');
      expect(error!.message).to.match(/^pg_dump failed to back up schema "crmp" of the database: .*permission denied.*\. Fix the cause and run again\.$/);
      expect(error!.message).not.to.contain(password);
    } finally {
      psql(src.url, ['-c', `revoke usage on schema crmp from ${role}`]);
      await withAdmin(server, (c) => c.query(`drop role ${role}`));
    }
  });
});

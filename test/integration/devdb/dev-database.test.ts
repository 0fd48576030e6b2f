/**
 * The dev database (where check, autogenerate and pull build the model): an explicit dev_url and
 * the embedded default, scratch schemas that leave nothing behind, roles and default privileges
 * carried over, and the major-version guard.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { openDevDatabase, readDefaultPrivileges } from '../../../src/devdb/dev-database';
import { DatabaseError } from '../../../src/errors';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';

describe('dev database', function () {
  let dev: TestDatabase;
  const role = `retort_reader_${randomBytes(4).toString('hex')}`;
  const su = `retort_devsu_${randomBytes(4).toString('hex')}`;
  before(async () => {
    dev = await createTestDatabase('dev');
  });
  after(async () => {
    await dev.drop();
    await query(dev.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1'), `drop role if exists "${role}"; drop role if exists "${su}"`);
  });

  it('builds in a scratch schema of dev_url that is gone afterwards, with the roles and default privileges it needs', async () => {
    const d = await openDevDatabase({ url: dev.url, baseDir: os.tmpdir(), targetVersion: 150000 });
    let scratchName = '';
    try {
      expect(d.serverVersion).to.be.greaterThanOrEqual(150000);
      const acl = await d.withScratchSchema(
        async ({ db, schema }) => {
          scratchName = schema;
          await sql`create table t (id int)`.execute(db);
          await sql`set role ${sql.id(su)}`.execute(db);
          await sql`create function f() returns int language sql as 'select 1'`.execute(db);
          await sql`reset role`.execute(db);
          const r = await sql<{ grants: string; owner: string }>`
            select array_to_string(relacl, ',') as grants, pg_get_userbyid(relowner) as owner from pg_class where oid = ${`${schema}.t`}::regclass`.execute(db);
          const su_ = await sql<{ rolsuper: boolean }>`select rolsuper from pg_roles where rolname = ${su}`.execute(db);
          expect(su_.rows[0]!.rolsuper, 'the SU role is a superuser there').to.equal(true);
          return r.rows[0]!;
        },
        { suRole: su, roles: [role], defaultPrivileges: [{ role: null, objectType: 'r', grantee: role, privilege: 'SELECT' }] },
      );
      expect(acl.grants).to.contain(`${role}=r/`);
      const left = await query<{ n: number }>(dev.url, 'select count(*)::int as n from pg_namespace where nspname = $1', [scratchName]);
      expect(left[0]!.n, 'the scratch schema is dropped').to.equal(0);
    } finally {
      await d.close();
    }
  });

  it('drops the scratch schema when the build fails', async () => {
    const d = await openDevDatabase({ url: dev.url, baseDir: os.tmpdir() });
    let scratchName = '';
    try {
      const failed = await d
        .withScratchSchema(async ({ db, schema }) => {
          scratchName = schema;
          await sql`create table t (id no_such_type)`.execute(db);
        })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(failed?.message).to.match(/no_such_type/);
      expect((await query<{ n: number }>(dev.url, 'select count(*)::int as n from pg_namespace where nspname = $1', [scratchName]))[0]!.n).to.equal(0);
    } finally {
      await d.close();
    }
  });

  it('reads default privileges with the reading role as null', async () => {
    await query(
      dev.url,
      `create schema dp; alter default privileges in schema dp grant select on tables to public; alter default privileges in schema dp grant insert on tables to current_user`,
    );
    const pool = new Pool({ connectionString: dev.url, max: 1 });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      const rows = await readDefaultPrivileges(db, 'dp');
      expect(rows).to.deep.include({ role: null, objectType: 'r', grantee: 'PUBLIC', privilege: 'SELECT' });
      expect(rows).to.deep.include({ role: null, objectType: 'r', grantee: null, privilege: 'INSERT' });
    } finally {
      await db.destroy();
    }
  });

  it('names an unreachable dev_url without its password', async () => {
    const e = await openDevDatabase({ url: 'postgresql://me:hunter22@127.0.0.1:1/nothing', baseDir: os.tmpdir() }).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(e).to.be.instanceOf(DatabaseError).with.property('code', 'DEV_DATABASE_UNREACHABLE');
    expect(e!.message)
      .to.match(/Cannot connect to the dev database/)
      .and.not.contain('hunter22');
  });

  it('the embedded default refuses a major it cannot run, and says what to set', async function () {
    this.timeout(120_000);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-devcache-'));
    fs.chmodSync(cache, 0o755); // run as root, the embedded server's own user must enter it
    try {
      const e = await openDevDatabase({ baseDir: os.tmpdir(), cacheDir: cache, targetVersion: 99_0000 }).then(
        () => undefined,
        (x: Error) => x,
      );
      expect(e).to.be.instanceOf(DatabaseError).with.property('code', 'DEV_DATABASE_VERSION');
      expect(e!.message).to.match(
        /The database runs PostgreSQL 99 and the embedded dev database runs 13 to 18 only: set dev_url in \[alembic\] \(or --dev-url\) to a PostgreSQL 99 server\./,
      );
      expect(fs.readdirSync(cache), 'nothing started').to.deep.equal([]);
      const same = await openDevDatabase({ baseDir: os.tmpdir(), cacheDir: cache });
      await same.close();
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("the embedded default runs the target's major, in a folder of its own", async function () {
    this.timeout(120_000);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-devcache-'));
    fs.chmodSync(cache, 0o755);
    try {
      const d = await openDevDatabase({ baseDir: os.tmpdir(), cacheDir: cache, targetVersion: 140_010 });
      try {
        expect(Math.floor(d.serverVersion / 10000)).to.equal(14);
        expect(d.description).to.contain('embedded PostgreSQL 14').and.contain(path.join(cache, 'dev-14'));
        const built = await d.withScratchSchema(async ({ db }) => {
          await sql`create table t (id int generated always as identity)`.execute(db);
          return (await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db)).rows[0]!.v;
        });
        expect(built).to.match(/^14\d{4}$/);
      } finally {
        await d.close();
      }
      expect(fs.readFileSync(path.join(cache, 'dev-14', 'pgdata', 'PG_VERSION'), 'utf8').trim()).to.equal('14');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("an explicit dev_url of another major than the target's is used, with a warning naming both", async () => {
    const lines: string[] = [];
    const d = await openDevDatabase({ url: dev.url, baseDir: os.tmpdir(), targetVersion: 130_000, log: (l) => lines.push(l) });
    try {
      const devMajor = Math.floor(d.serverVersion / 10000);
      expect(devMajor).to.not.equal(13);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.contain('The database runs PostgreSQL 13').and.contain(`PostgreSQL ${devMajor}`).and.not.contain('\n');
    } finally {
      await d.close();
    }
  });
});

import { expect } from 'chai';
import { Client } from 'pg';
import { ConfigError, DatabaseError } from '../../../src/errors';
import { DbInitError, initDatabase, type InitReport } from '../../../src/provision/init-database';
import { createTestDatabase, testServerUrl, withAdmin, withDatabase } from '../../support/database';
import { dropDatabaseAndRoles, randomName } from './init-cleanup';

/** `url` logged in as `user` (trust auth on the test server). */
function asUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = '';
  return u.toString();
}

const objects = (items: InitReport['items']) => items.map((i) => i.object);
/** The extensions a CRMP-like application asks for (there are no application defaults). */
const extensions = ['plpgsql', 'moddatetime', 'pgcrypto'];

describe('provision/init-database (integration)', function () {
  this.timeout(60_000);
  let server = '';
  let database: string;
  let user: string;
  let suRole: string;
  let schemas: string[];

  beforeEach(async () => {
    database = randomName('retort_init');
    user = randomName('retort_user');
    suRole = randomName('retort_su');
    schemas = [randomName('s'), randomName('t')];
    server = await testServerUrl();
  });

  afterEach(async () => {
    if (server) await dropDatabaseAndRoles(server, database, [user, suRole]);
  });

  it('creates the database, roles, extensions and schemas, and finds them all on a second run', async () => {
    const lines: string[] = [];
    const optionalExtensions = ['postgis', 'no_such_extension_here'];
    const first = await initDatabase({ serverUrl: server, database, schemas, user, suRole, extensions, optionalExtensions, log: (l) => lines.push(l) });
    const expectedCreated = [
      `database ${database}`,
      `role ${suRole}`,
      `role ${user}`,
      `membership ${suRole} -> ${user}`,
      'extension moddatetime',
      'extension pgcrypto',
      `schema ${schemas[0]}`,
      `schema ${schemas[1]}`,
    ];
    expect(objects(first.created).filter((o) => o !== 'extension postgis')).to.deep.equal(expectedCreated);
    expect(objects(first.existing)).to.deep.equal(['extension plpgsql']);
    expect(first.skipped.find((i) => i.object === 'extension no_such_extension_here')).to.include({ outcome: 'skipped', step: 'extensions' });
    // PostGIS depends on the server: either way it is reported, never an error.
    expect(first.items.find((i) => i.object === 'extension postgis')!.outcome).to.be.oneOf(['created', 'skipped']);
    expect(first.items.filter((i) => i.step === 'grants').length).to.equal(1 + 4 * schemas.length);
    expect(first.items.filter((i) => i.step === 'default privileges').length).to.equal(4 * schemas.length);
    expect(lines.length).to.equal(first.items.length);
    expect(lines[0]).to.equal(`created  database ${database}`);

    const second = await initDatabase({ serverUrl: server, database, schemas, user, suRole, extensions, optionalExtensions });
    expect(second.created).to.deep.equal([]);
    expect(objects(second.existing)).to.include.members([...expectedCreated, 'extension plpgsql']);

    await withAdmin(withDatabase(server, database), async (c) => {
      const roles = await c.query('select rolname, rolsuper, rolcanlogin from pg_roles where rolname = any($1) order by rolname', [[user, suRole]]);
      expect(roles.rows).to.have.deep.members([
        { rolname: user, rolsuper: false, rolcanlogin: true },
        { rolname: suRole, rolsuper: true, rolcanlogin: false },
      ]);
      const owners = await c.query('select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = any($1)', [schemas]);
      expect(owners.rows).to.have.deep.members(schemas.map((nspname) => ({ nspname, owner: user })));
      const exts = await c.query("select extname from pg_extension where extname in ('plpgsql', 'moddatetime', 'pgcrypto') order by 1");
      expect(exts.rows.map((r) => r.extname)).to.deep.equal(['moddatetime', 'pgcrypto', 'plpgsql']);
    });
  });

  it('lets the login user create tables in its schemas, SET ROLE to the superuser role, and use what that role creates', async () => {
    await initDatabase({ serverUrl: server, database, schemas, user, suRole, extensions });
    const client = new Client({ connectionString: asUser(withDatabase(server, database), user) });
    await client.connect();
    try {
      const [s, t] = schemas.map((n) => client.escapeIdentifier(n));
      await client.query(`create table ${s}.station (id serial primary key, name text, changed timestamp default now())`);
      await client.query(`create trigger touch before update on ${s}.station for each row execute procedure moddatetime(changed)`);
      await client.query(`insert into ${s}.station (name) values ('a')`);
      await client.query(`create table ${t}.other (id int)`);
      expect((await client.query(`select name, length(encode(digest(name, 'sha256'), 'hex')) as n from ${s}.station`)).rows).to.deep.equal([
        { name: 'a', n: 64 },
      ]);

      expect((await client.query("select current_setting('is_superuser') as su")).rows[0].su).to.equal('off');
      await client.query(`set role ${client.escapeIdentifier(suRole)}`);
      expect((await client.query("select current_user as u, current_setting('is_superuser') as su")).rows[0]).to.deep.equal({ u: suRole, su: 'on' });
      await client.query(`create table ${s}.privileged (id int)`);
      await client.query(`create function ${s}.answer() returns int language sql as 'select 42'`);
      await client.query('reset role');
      // Default privileges: what the superuser role made in the schema is usable by the user.
      await client.query(`insert into ${s}.privileged values (1)`);
      expect((await client.query(`select ${s}.answer() as a`)).rows[0].a).to.equal(42);
    } finally {
      await client.end();
    }
  });

  it('refuses bad identifiers before sending any SQL, listing every problem', async () => {
    // Nothing listens on port 1: reaching it would fail with a connection error instead.
    const serverUrl = 'postgresql://postgres@127.0.0.1:1/postgres';
    let error: unknown;
    try {
      await initDatabase({
        serverUrl,
        database: 'x"; drop table t; --',
        schemas: ['ok', 'bad name'],
        user: 'u',
        suRole: 'u',
        extensions: ['uuid-ossp', 'no;pe'],
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect(error).to.have.property('code', 'BAD_IDENTIFIER');
    const message = (error as Error).message;
    expect(message).to.include('database "x\\"; drop table t; --"');
    expect(message).to.include('schema "bad name"');
    expect(message).to.include('extension "no;pe"');
    expect(message).to.include('both "u"');
    expect(message).not.to.include('uuid-ossp');
  });

  it('adopts an existing database and hands an existing schema to the user', async () => {
    const existing = await createTestDatabase('init');
    database = existing.name;
    await withAdmin(existing.url, (c) => c.query(`create schema ${c.escapeIdentifier(schemas[0]!)}`));
    const report = await initDatabase({ serverUrl: server, database, schemas, user, suRole });
    expect(report.items[0]).to.deep.equal({ step: 'database', object: `database ${database}`, outcome: 'existing' });
    const adopted = report.items.find((i) => i.object === `schema ${schemas[0]}`);
    expect(adopted).to.deep.include({ outcome: 'changed' });
    expect(adopted!.detail).to.match(/^owner was /);
    expect(report.items.find((i) => i.object === `schema ${schemas[1]}`)!.outcome).to.equal('created');
  });

  it('names the failing step and carries what it had created', async () => {
    let error: unknown;
    try {
      await initDatabase({ serverUrl: server, database, schemas, user, suRole, extensions: ['plpgsql', 'no_such_extension_here'] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DatabaseError);
    expect(error).to.be.instanceOf(DbInitError);
    const failure = error as DbInitError;
    expect(failure.code).to.equal('DB_INIT_FAILED');
    expect(failure.step).to.equal('extensions');
    expect(failure.message).to.include('step "extensions"');
    expect(failure.message).to.include('no_such_extension_here');
    expect(objects(failure.created)).to.deep.equal([`database ${database}`, `role ${suRole}`, `role ${user}`, `membership ${suRole} -> ${user}`]);
    expect(failure.cause).to.be.instanceOf(Error);
  });

  it('reports an unreachable server as the connect step, without the password', async () => {
    let error: unknown;
    try {
      await initDatabase({ serverUrl: 'postgresql://postgres:s3cret@127.0.0.1:1/postgres', database, schemas, user, suRole });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DbInitError);
    expect((error as DbInitError).step).to.equal('connect');
    expect((error as DbInitError).created).to.deep.equal([]);
    expect((error as Error).message).not.to.include('s3cret');
  });
});

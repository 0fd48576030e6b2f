import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testServerUrl, withAdmin, withDatabase } from '../../support/database';
import { dropDatabaseAndRoles, randomName } from './init-cleanup';

const SCRIPTS = path.resolve(__dirname, '../../../development/init_test_db/common');

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [path.join(SCRIPTS, script), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The shell twin of initDatabase: development/init_test_db/common/{create,run}_scripts.sh. */
describe('development/init_test_db scripts (integration)', function () {
  this.timeout(60_000);
  let server = '';
  let out = '';
  let database: string;
  let user: string;
  let suRole: string;
  let schemas: string[];

  beforeEach(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-init-scripts-'));
    database = randomName('retort_sh');
    user = randomName('retort_user');
    suRole = randomName('retort_su');
    schemas = [randomName('s'), randomName('t')];
    server = await testServerUrl();
  });

  afterEach(async () => {
    if (out) fs.rmSync(out, { recursive: true, force: true });
    if (server) await dropDatabaseAndRoles(server, database, [user, suRole]);
  });

  it('writes the five scripts, and running them (twice) sets up a fresh database', async () => {
    // Flags and environment both work; schemas come from the environment here.
    const created = run('create_scripts.sh', ['--out', out, '-d', database, '--user', user, `--su-role=${suRole}`], {
      RETORT_INIT_SCHEMAS: ` ${schemas[0]}, ${schemas[1]} `,
    });
    expect(created.status, created.stderr).to.equal(0);
    expect(fs.readdirSync(out).sort()).to.deep.equal(['00-create-database.sql', '01-roles.sql', '02-extensions.sql', '03-schemas.sql', '04-grants.sql']);

    for (let round = 1; round <= 2; round++) {
      const ran = run('run_scripts.sh', ['--dir', out, '--url', server]);
      expect(ran.status, `round ${round}: ${ran.stderr}`).to.equal(0);
      expect(ran.stdout).to.include('run_scripts.sh: 04-grants.sql');
    }

    await withAdmin(withDatabase(server, database), async (c) => {
      const roles = await c.query('select rolname, rolsuper, rolcanlogin from pg_roles where rolname = any($1)', [[user, suRole]]);
      expect(roles.rows).to.have.deep.members([
        { rolname: user, rolsuper: false, rolcanlogin: true },
        { rolname: suRole, rolsuper: true, rolcanlogin: false },
      ]);
      const member = await c.query("select pg_has_role($1, $2, 'member') as m", [user, suRole]);
      expect(member.rows[0].m).to.equal(true);
      const owners = await c.query('select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = any($1)', [schemas]);
      expect(owners.rows).to.have.deep.members(schemas.map((nspname) => ({ nspname, owner: user })));
      const exts = await c.query("select extname from pg_extension where extname in ('plpgsql', 'moddatetime', 'pgcrypto') order by 1");
      expect(exts.rows.map((r) => r.extname)).to.deep.equal(['moddatetime', 'pgcrypto', 'plpgsql']);
      const acl = await c.query('select count(*)::int as n from pg_default_acl where defaclrole = (select oid from pg_roles where rolname = $1)', [suRole]);
      expect(acl.rows[0].n).to.equal(4 * schemas.length);
      const connect = await c.query("select has_database_privilege($1, $2, 'connect') as ok", [user, database]);
      expect(connect.rows[0].ok).to.equal(true);
    });
  });

  it('refuses a bad identifier and writes nothing', () => {
    const result = run('create_scripts.sh', ['--out', out, '-d', 'x"; drop database postgres; --', '-s', 'ok,b c,*']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.include(`database 'x"; drop database postgres; --' is not a plain identifier`);
    expect(result.stderr).to.include("schema 'b c'");
    expect(result.stderr).to.include("schema '*'");
    expect(fs.readdirSync(out)).to.deep.equal([]);
  });

  it('names the script that fails and stops there', async () => {
    // A login user that is not a superuser cannot create a database.
    await withAdmin(server, (c) => c.query(`create role ${c.escapeIdentifier(user)} login`));
    expect(run('create_scripts.sh', ['--out', out, '-d', database, '-s', schemas[0]!, '-u', user, '-r', suRole]).status).to.equal(0);
    const asUser = new URL(server);
    asUser.username = user;
    asUser.password = '';
    const result = run('run_scripts.sh', ['--dir', out, '--url', asUser.toString()]);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('step 00-create-database.sql failed');
    expect(result.stderr).to.include('permission denied to create database');
    expect(result.stdout).not.to.include('01-roles.sql');
  });

  it('asks for the scripts when the folder has none', () => {
    const result = run('run_scripts.sh', ['--dir', out, '--url', server]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.include('run create_scripts.sh first');
  });
});

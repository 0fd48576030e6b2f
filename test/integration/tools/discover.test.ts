import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { discoveryUrl, upsertIniUrl } from '../../../src/commands/discover';
import { startEmbeddedServer, type EmbeddedServer } from '../../../src/embedded/embedded-server';
import { psql, runCli } from '../../support/cli';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const INI = `# Our databases. Keep passwords out of this file.
[alembic]
script_location = revisions   ; relative to this file
version_table = alembic_version

; production: read-only for most of us
[prod]
sqlalchemy.url = postgresql://app@prod.example:5432/crmp
options = keep-me
`;

describe('discover: editing alembic.ini as text', () => {
  it('appends a missing section and keeps every other line, comment and blank line', () => {
    const r = upsertIniUrl(INI, 'dev', 'postgresql://me@127.0.0.1:5432/crmp');
    expect(r.action).to.equal('added');
    expect(r.text).to.equal(`${INI}\n[dev]\nsqlalchemy.url = postgresql://me@127.0.0.1:5432/crmp\n`);
    expect(upsertIniUrl('[alembic]\nx = 1', 'dev', 'u').text).to.equal('[alembic]\nx = 1\n\n[dev]\nsqlalchemy.url = u\n');
    expect(upsertIniUrl('', 'dev', 'u').text).to.equal('[dev]\nsqlalchemy.url = u\n');
  });

  it('rewrites only the url line of an existing section, in place', () => {
    const r = upsertIniUrl(INI, 'prod', 'postgresql://app:${PROD_PW}@prod2.example:5432/crmp');
    expect(r.action).to.equal('updated');
    expect(r.text).to.equal(INI.replace('postgresql://app@prod.example:5432/crmp', 'postgresql://app:${PROD_PW}@prod2.example:5432/crmp'));
    expect(upsertIniUrl(INI, 'prod', 'postgresql://app@prod.example:5432/crmp')).to.deep.equal({ text: INI, action: 'unchanged' });
    // `url =` is accepted like sqlalchemy.url; a section without either gets one under its header.
    expect(upsertIniUrl('[a]\nurl=x\n[b]\n', 'a', 'y').text).to.equal('[a]\nurl=y\n[b]\n');
    expect(upsertIniUrl('[a] ; note\nother = 1\n\n[b]\n', 'a', 'y').text).to.equal('[a] ; note\nsqlalchemy.url = y\nother = 1\n\n[b]\n');
    expect(upsertIniUrl('[a]\r\nsqlalchemy.url = x\r\n', 'a', 'y').text).to.equal('[a]\r\nsqlalchemy.url = y\r\n');
  });

  it('builds the URL with a ${VAR} reference, never a value, and encodes names', () => {
    expect(discoveryUrl({ host: 'db', port: 5432, user: 'me', database: 'crmp' }, undefined)).to.equal('postgresql://me@db:5432/crmp');
    expect(discoveryUrl({ host: 'db', port: 6432, user: 'me', database: 'crmp' }, 'CRMP_PW')).to.equal('postgresql://me:${CRMP_PW}@db:6432/crmp');
    expect(discoveryUrl({ host: '::1', port: 5432, user: 'a b', database: 'x/y' }, undefined)).to.equal('postgresql://a%20b@[::1]:5432/x%2Fy');
    expect(discoveryUrl({ host: '/var/run/postgresql', port: 5433, user: 'me', database: 'd' }, undefined)).to.equal(
      'postgresql://me@/d?host=%2Fvar%2Frun%2Fpostgresql&port=5433',
    );
  });
});

describe('discover: against a server (end to end)', () => {
  let db: TestDatabase;
  let dir: string;
  let server: URL;
  before(async () => {
    db = await createTestDatabase('disc');
    const setup = psql(
      db.url,
      [],
      `
      create schema crmp; create table crmp.alembic_version (version_num varchar(32) primary key);
      insert into crmp.alembic_version values ('7a3b9c0d1e2f');
      create schema tenant_a; create table tenant_a.alembic_version (version_num varchar(32) primary key);
      create schema plain;`,
    );
    expect(setup.code, setup.stderr).to.equal(0);
    server = new URL(db.url);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-discover-'));
    fs.writeFileSync(path.join(dir, 'alembic.ini'), INI);
    fs.mkdirSync(path.join(dir, 'revisions'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  after(async () => db.drop());

  const args = (label: string, extra: string[] = []) => [
    'discover',
    '--label',
    label,
    '--host',
    server.hostname,
    '--port',
    server.port || '5432',
    '--user',
    decodeURIComponent(server.username),
    '--database',
    db.name,
    ...extra,
  ];

  it('tests the connection, reports the schemas and their revisions, and adds the label to alembic.ini', async () => {
    const r = await runCli(args('found'), { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    const url = `postgresql://${server.username}@${server.hostname}:${server.port || '5432'}/${db.name}`;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(new RegExp(`^Connected to ${url.replace(/[.]/g, '\\.')} \\(PostgreSQL \\d+\\.\\d+.*, no password needed\\)$`));
    expect(lines.slice(1, 5).map((l) => l.trim().replace(/\s+/g, ' '))).to.deep.equal([
      'schema alembic_version',
      'crmp at 7a3b9c0d1e2f',
      'plain none',
      'public none',
    ]);
    expect(lines).to.include('  tenant_a  empty (<base>)');
    expect(lines).to.include(`Added [found] in ${path.join(dir, 'alembic.ini')}: sqlalchemy.url = ${url}`);
    expect(fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8')).to.equal(`${INI}\n[found]\nsqlalchemy.url = ${url}\n`);
    const cur = await runCli(['-x', 'db=found', '-x', 'schema=crmp', 'current'], { cwd: dir });
    expect(cur.stdout.trim()).to.equal('7a3b9c0d1e2f (not in revisions/)');

    const json = await runCli(['--json', ...args('found')], { cwd: dir });
    const data = (
      JSON.parse(json.stdout) as { result: { action: string; password: string; schemas: Array<{ name: string; versionTable: boolean; revisions: string[] }> } }
    ).result;
    expect(data.action).to.equal('unchanged');
    expect(data.password).to.equal('none');
    expect(data.schemas.find((s) => s.name === 'crmp')).to.deep.equal({ name: 'crmp', versionTable: true, revisions: ['7a3b9c0d1e2f'] });
  });

  it('updates an existing label in place, and refuses bad arguments and unreachable servers without touching the file', async () => {
    const r = await runCli(args('prod'), { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    const text = fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8');
    expect(text.split('\n').filter((l, i) => l !== INI.split('\n')[i])).to.deep.equal([
      `sqlalchemy.url = postgresql://${server.username}@${server.hostname}:${server.port || '5432'}/${db.name}`,
    ]);
    expect(r.stdout).to.contain('Updated [prod] in');

    const bad = await runCli(['discover', '--label', 'alembic', '--port', 'x'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--label "alembic" is not a usable label');
    expect(bad.stderr).to.contain('--port NaN is not a port number');
    const down = await runCli(['discover', '--label', 'nowhere', '--host', '127.0.0.1', '--port', '1', '--user', 'postgres', '--database', 'x'], { cwd: dir });
    expect(down.code).to.equal(2);
    expect(down.stderr).to.match(/^migrate: error: Cannot connect to label nowhere \(postgresql:\/\/postgres@127\.0\.0\.1:1\/x\): .*ECONNREFUSED/);
    expect(fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8')).to.equal(text);
  });
});

describe('discover: a server that asks for a password', function () {
  this.timeout(180000);
  let embedded: EmbeddedServer;
  let dataDir: string;
  let dir: string;
  let home: string;
  const password = `pw-${Math.random().toString(36).slice(2)}`;

  before(async () => {
    // A private server whose pg_hba.conf wants a password from "pwuser" (the shared one trusts everyone).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-discover-pg-'));
    embedded = await startEmbeddedServer({ dataDir });
    const c = new Client({ connectionString: embedded.url });
    await c.connect();
    try {
      await c.query(`create role pwuser login password '${password}'`);
      await c.query('create database pwdb owner pwuser');
      const hba = (await c.query<{ hba_file: string }>('show hba_file')).rows[0]!.hba_file;
      fs.writeFileSync(hba, `host all pwuser 127.0.0.1/32 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`);
      await c.query('select pg_reload_conf()');
    } finally {
      await c.end();
    }
  });
  after(async () => {
    await embedded.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-discover-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-home-'));
    fs.writeFileSync(path.join(dir, 'alembic.ini'), INI);
    fs.mkdirSync(path.join(dir, 'revisions'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  const args = (extra: string[] = []) => [
    'discover',
    '--label',
    'secure',
    '--host',
    '127.0.0.1',
    '--port',
    String(embedded.port),
    '--user',
    'pwuser',
    '--database',
    'pwdb',
    ...extra,
  ];
  // No ~/.pgpass of the machine may answer for us.
  const env = (extra: Record<string, string>) => ({ HOME: home, PGPASSFILE: path.join(home, 'none'), ...extra });

  it('says which variable to set when no password is available', async () => {
    const r = await runCli(args(), { cwd: dir, env: env({}) });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`127.0.0.1:${embedded.port} asks user pwuser for a password, and neither PGPASSWORD nor ~/.pgpass has one. Export PGPASSWORD`);
    expect(fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8')).to.equal(INI);
  });

  it('writes ${PGPASSWORD} (or the named variable), never the password, and the label then works', async () => {
    const r = await runCli(args(), { cwd: dir, env: env({ PGPASSWORD: password }) });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`Connected to postgresql://pwuser:\${PGPASSWORD}@127.0.0.1:${embedded.port}/pwdb (PostgreSQL`);
    expect(r.stdout).to.contain('password from the environment');
    const named = await runCli(args(['--password-env', 'CRMP_PW']), { cwd: dir, env: env({ CRMP_PW: password }) });
    expect(named.code, named.stderr).to.equal(0);
    const text = fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8');
    expect(text).to.equal(`${INI}\n[secure]\nsqlalchemy.url = postgresql://pwuser:\${CRMP_PW}@127.0.0.1:${embedded.port}/pwdb\n`);
    for (const out of [r.stdout, r.stderr, named.stdout, named.stderr, text]) expect(out).not.to.contain(password);
    const cur = await runCli(['-x', 'db=secure', 'current'], { cwd: dir, env: env({ CRMP_PW: password }) });
    expect(cur.code, cur.stderr).to.equal(0);
    expect(cur.stdout.trim()).to.equal('<base> (no version table)');
  });
});

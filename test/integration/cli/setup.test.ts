import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, randomSchemaName, testServerUrl, type TestDatabase, query } from '../../support/database';
import { createProject, dumpAll, ROOT, runCli, tableRevision, type CliResult, type TestProject } from '../../support/cli';
import { createSuRole, type SuRole } from '../crmp/su-role';

// `migrate setup` through the built CLI (run `npx tsc -p tsconfig.json` first), with the
// repository's own alembic.ini and revisions: the CRMP model built in one go must be what
// `upgrade head` builds, and must leave the database where `upgrade head` has nothing to do.

const HEAD = 'e6f1b3a5d7c9';
const INI = path.join(ROOT, 'alembic.ini');

const run = promisify(execFile);

/** `pg_dump --schema-only` of one schema without the version tables, its name replaced by `<schema>`. */
async function dumpWithoutVersionTables(url: string, schema: string): Promise<string> {
  const args = ['--schema-only', '--quote-all-identifiers', `--schema="${schema}"`];
  for (const t of ['alembic_version', 'alembic_version_history']) args.push(`--exclude-table="${schema}"."${t}"`);
  const { stdout } = await run('pg_dump', [...args, url], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => !/^\\(un)?restrict /.test(line) && !/^-- Dumped (from|by)/.test(line))
    .map((line) => line.split(schema).join('<schema>'))
    .join('\n');
}

describe('cli: setup (end to end)', function () {
  this.timeout(120_000);
  let su: SuRole;
  let db: TestDatabase;

  /** The CLI on the repository's alembic.ini and revisions, against this test's database. */
  const repo = (args: readonly string[], url = db.url): Promise<CliResult> =>
    runCli(['-c', INI, '--url', url, '-x', `su_role=${su.name}`, ...args], { cwd: os.tmpdir() });

  before(async () => {
    su = await createSuRole(await testServerUrl());
  });
  after(async () => {
    await su?.drop();
  });
  beforeEach(async () => {
    db = await createTestDatabase('setup');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('builds the CRMP model into a new schema and stamps head in one go; current then shows head', async () => {
    const r = await repo(['setup', '--create-schema']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal(`Created schema "crmp" in ${db.name}:crmp`);
    expect(lines[1]).to.match(new RegExp(`^Built (\\d+) objects into ${db.name}:crmp; stamped ${HEAD}$`));
    expect(Number(/Built (\d+)/.exec(lines[1]!)![1])).to.be.greaterThan(50);
    expect(r.stderr).to.equal('');

    const version = await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version');
    expect(version.map((v) => v.version_num)).to.deep.equal([HEAD]);
    const history = await query<{ revision: string; direction: string }>(db.url, 'select revision, direction from crmp.alembic_version_history');
    expect(history).to.deep.equal([{ revision: HEAD, direction: 'stamp' }]);
    const owner = await query<{ owner: string }>(db.url, "select pg_get_userbyid(proowner) as owner from pg_proc where proname = 'moddatetime_wrapper'");
    expect(owner).to.deep.equal([{ owner: su.name }]);

    const current = await repo(['current']);
    expect(current.code, current.stderr).to.equal(0);
    expect(current.stdout.trim()).to.equal(`${HEAD} (head)`);
  });

  it('--json reports the result as data', async () => {
    const schema = randomSchemaName('js');
    const r = await repo(['--json', '-x', `schema=${schema}`, 'setup', '--create-schema']);
    expect(r.code, r.stderr).to.equal(0);
    const json = (JSON.parse(r.stdout) as { targets: Array<{ result: Record<string, unknown> }> }).targets[0]!.result;
    expect(json).to.include({ target: `${db.name}:${schema}`, schema, model: path.join(ROOT, 'src', 'crmp', 'index.ts'), createdSchema: true });
    expect(json.stamped).to.deep.equal([HEAD]);
    expect(json.objects).to.be.a('number').greaterThan(50);
    expect(json.statements).to.be.at.least(json.objects as number);
  });

  it('refuses a schema that holds a table, view, sequence, function or type, and changes nothing', async () => {
    const kinds: Record<string, (s: string) => string> = {
      'table t': (s) => `create table "${s}".t (id int)`,
      'view v': (s) => `create view "${s}".v as select 1 as one`,
      'sequence q': (s) => `create sequence "${s}".q`,
      'function f': (s) => `create function "${s}".f() returns int language sql as 'select 1'`,
      'type e': (s) => `create type "${s}".e as enum ('a')`,
    };
    const schemas = Object.keys(kinds).map(() => randomSchemaName('full'));
    for (const [i, [, ddl]] of Object.entries(kinds).entries()) {
      await query(db.url, `create schema "${schemas[i]}"`);
      await query(db.url, ddl(schemas[i]!));
    }
    const before = dumpAll(db.url);
    for (const [i, what] of Object.keys(kinds).entries()) {
      const r = await repo(['-x', `schema=${schemas[i]}`, 'setup', '--create-schema']);
      expect(r.code, `${what}: ${r.stdout}`).to.equal(2);
      const errorLines = r.stderr.trim().split('\n');
      expect(errorLines, r.stderr).to.have.length(1);
      expect(errorLines[0]).to.match(new RegExp(`^migrate: error: Schema "${schemas[i]}" in ${db.name}:${schemas[i]} already holds 1 object \\(${what}\\);`));
      expect(r.stdout).to.equal('');
    }
    expect(dumpAll(db.url)).to.equal(before);
  });

  it('refuses a missing schema without --create-schema, and checks the SU role before any DDL', async () => {
    const missing = await repo(['setup']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/Schema "crmp" does not exist .*--create-schema/);

    const noRole = await runCli(['-c', INI, '--url', db.url, '-x', 'su_role=retort_no_such_role', 'setup', '--create-schema'], { cwd: os.tmpdir() });
    expect(noRole.code).to.equal(2);
    expect(noRole.stderr).to.match(/Role "retort_no_such_role" \(SU_ROLE_NAME\) does not exist/);
    const schemas = await query(db.url, "select 1 from pg_namespace where nspname = 'crmp'");
    expect(schemas).to.deep.equal([]);
  });

  it('two setups at once on one schema: the lock lets one build it, the other then finds it taken', async () => {
    const [a, b] = await Promise.all([repo(['setup', '--create-schema']), repo(['setup', '--create-schema'])]);
    expect([a.code, b.code].sort()).to.deep.equal([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).to.match(/Schema "crmp" in .* already holds \d+ objects/);
    const version = await query<{ version_num: string }>(db.url, 'select version_num from crmp.alembic_version');
    expect(version.map((v) => v.version_num)).to.deep.equal([HEAD]);
  });

  it('gives the same pg_dump --schema-only as upgrade head, and upgrade head after it does nothing', async () => {
    const other = await createTestDatabase('setupup');
    try {
      const viaSetup = randomSchemaName('viasetup');
      const viaUpgrade = randomSchemaName('viaup');
      const s = await repo(['-x', `schema=${viaSetup}`, 'setup', '--create-schema']);
      expect(s.code, s.stderr).to.equal(0);
      const u = await repo(['-x', `schema=${viaUpgrade}`, 'upgrade', 'head', '--create-schema'], other.url);
      expect(u.code, u.stderr).to.equal(0);
      expect(u.stdout).to.contain(`-> ${HEAD}`);

      const built = await dumpWithoutVersionTables(db.url, viaSetup);
      const upgraded = await dumpWithoutVersionTables(other.url, viaUpgrade);
      expect(built).to.contain('CREATE TABLE "<schema>"."meta_station"');
      expect(built).to.contain('CREATE MATERIALIZED VIEW "<schema>"."station_obs_stats_mv"');
      expect(built).not.to.contain('alembic_version');
      expect(built.split('\n')).to.deep.equal(upgraded.split('\n'));

      const again = await repo(['-x', `schema=${viaSetup}`, 'upgrade', 'head']);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout.trim()).to.match(new RegExp(`already at ${HEAD}; nothing to do\\.$`));
      expect(again.stdout).not.to.contain('Running upgrade');
      expect(await dumpWithoutVersionTables(db.url, viaSetup)).to.equal(built);
    } finally {
      await other.drop();
    }
  });

  describe('with [alembic] model = <module>', () => {
    let project: TestProject;
    const src = (...parts: string[]) => path.join(ROOT, 'src', ...parts).replace(/\\/g, '/');

    beforeEach(() => {
      project = createProject({
        labels: { dev: db.url },
        alembic: { model: 'schema/index.ts', schema_name: 'app' },
        revisions: [tableRevision('aaaa00000001', null, 'item')],
      });
      // A model over two files: relative imports are bundled, packages (kysely) resolve at run time.
      fs.mkdirSync(path.join(project.dir, 'schema'));
      fs.writeFileSync(
        path.join(project.dir, 'schema', 'tables.ts'),
        `import { serial, table, text } from '${src('model')}';
export const item = table('item', { id: serial().primaryKey(), name: text() }).index('item_name_idx', ['name']);
`,
      );
      fs.writeFileSync(
        path.join(project.dir, 'schema', 'index.ts'),
        `import { sql } from 'kysely';
import { defineModel, view } from '${src('model')}';
import { item } from './tables';
export const model = defineModel({ tables: [item], views: [view('item_names', { body: (s) => sql\`select name from \${s('item')}\` })] });
`,
      );
    });
    afterEach(() => project.remove());

    it('builds that model (no SU role needed when it has no privileged objects) and stamps the project head', async () => {
      const r = await runCli(['-x', 'db=dev', 'setup', '--create-schema'], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.trim().split('\n')).to.deep.equal(['Created schema "app" in dev:app', 'Built 3 objects into dev:app; stamped aaaa00000001']);
      const relations = await query<{ relname: string; relkind: string }>(
        db.url,
        "select relname, relkind from pg_class where relnamespace = 'app'::regnamespace and relkind in ('r', 'v', 'i')",
      );
      expect(relations.map((x) => `${x.relkind} ${x.relname}`).sort()).to.deep.equal([
        'i alembic_version_pkc',
        'i item_name_idx',
        'i item_pkey',
        'r alembic_version',
        'r alembic_version_history',
        'r item',
        'v item_names',
      ]);
      expect((await runCli(['-x', 'db=dev', 'current'], { cwd: project.dir })).stdout.trim()).to.equal('aaaa00000001 (head)');
    });

    it('a model that fails to build is rolled back whole: exit 1, the statement named, no schema left', async () => {
      fs.writeFileSync(
        path.join(project.dir, 'schema', 'broken.ts'),
        `import { sql } from 'kysely';
import { defineModel, view } from '${src('model')}';
import { item } from './tables';
export const model = defineModel({ tables: [item], views: [view('broken_v', { body: (s) => sql\`select * from \${s('no_such_table')}\` })] });
`,
      );
      fs.writeFileSync(
        path.join(project.dir, 'alembic.ini'),
        fs.readFileSync(path.join(project.dir, 'alembic.ini'), 'utf8').replace('schema/index.ts', 'schema/broken.ts'),
      );
      const r = await runCli(['-x', 'db=dev', 'setup', '--create-schema'], { cwd: project.dir });
      expect(r.code).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(
        /Creating view broken_v in schema app failed: relation "app\.no_such_table" does not exist\. Rolled back: dev:app is unchanged\./,
      );
      expect(await query(db.url, "select 1 from pg_namespace where nspname = 'app'")).to.deep.equal([]);
    });

    it('names the module when it is missing or exports no model', async () => {
      fs.writeFileSync(
        path.join(project.dir, 'alembic.ini'),
        fs.readFileSync(path.join(project.dir, 'alembic.ini'), 'utf8').replace('schema/index.ts', 'schema/none.ts'),
      );
      const missing = await runCli(['-x', 'db=dev', 'setup', '--create-schema'], { cwd: project.dir });
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain(`The model module ${path.join(project.dir, 'schema', 'none.ts')}`);
      expect(missing.stderr).to.contain('does not exist');

      fs.writeFileSync(
        path.join(project.dir, 'alembic.ini'),
        fs.readFileSync(path.join(project.dir, 'alembic.ini'), 'utf8').replace('schema/none.ts', 'schema/tables.ts'),
      );
      const noExport = await runCli(['-x', 'db=dev', 'setup', '--create-schema'], { cwd: project.dir });
      expect(noExport.code).to.equal(2);
      expect(noExport.stderr).to.contain(`${path.join(project.dir, 'schema', 'tables.ts')} does not export a model`);
      expect(await query(db.url, "select 1 from pg_namespace where nspname = 'app'")).to.deep.equal([]);
    });
  });
});

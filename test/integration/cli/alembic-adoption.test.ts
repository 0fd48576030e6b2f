/**
 * Carrying on from Alembic: a schema Alembic manages (alembic_version set, objects made by
 * plain SQL), its script folder, and the baseline that keeps Alembic's head id so the database
 * stands at Retort's head at once.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { ROOT, createProject, dumpSchema, runCli, type TestProject } from '../../support/cli';

const ALEMBIC_HEAD = '3f1a2b4c5d6e';
const SQL = `
create schema app;
create table app.station (station_id serial primary key, name varchar(255) not null, elevation integer);
create table app.obs (obs_id bigserial primary key, station_id integer not null references app.station, value double precision);
create index obs_station_idx on app.obs (station_id);
create view app.station_names as select station_id, name from app.station;
create table app.alembic_version (version_num varchar(32) not null, constraint alembic_version_pkc primary key (version_num));
insert into app.alembic_version values ('${ALEMBIC_HEAD}');
insert into app.station (name, elevation) values ('a', 1), ('b', 2);
`;

const MODEL = `import { sql } from 'kysely';
import { bigserial, defineModel, doublePrecision, integer, serial, table, varchar, view } from '${path.join(ROOT, 'src').replace(/\\/g, '/')}';
const station = table('station', { station_id: serial().primaryKey(), name: varchar(255).notNull(), elevation: integer() });
const obs = table('obs', {
  obs_id: bigserial().primaryKey(),
  station_id: integer().notNull().references('station', 'station_id', { name: 'obs_station_id_fkey' }),
  value: doublePrecision(),
}).index('obs_station_idx', ['station_id']);
const names = view('station_names', { body: (s) => sql\`select station_id, name from \${s('station')}\` });
export const model = defineModel({ tables: [station, obs], views: [names] });
`;

describe('cli: moving from Alembic', () => {
  let db: TestDatabase;
  let project: TestProject;
  const run = (args: string[]) => runCli(['-x', 'db=dev', ...args], { cwd: project.dir });

  before(async () => {
    db = await createTestDatabase('alembic');
    await query(db.url, SQL);
    project = createProject({ labels: { dev: db.url }, alembic: { schema_name: 'app', script_location: 'alembic', model: 'model.ts' } });
    fs.mkdirSync(path.join(project.dir, 'alembic', 'versions'), { recursive: true });
    fs.writeFileSync(path.join(project.dir, 'alembic', 'env.py'), 'from alembic import context\n');
    for (const id of ['1a2b3c4d5e6f', ALEMBIC_HEAD]) {
      fs.writeFileSync(path.join(project.dir, 'alembic', 'versions', `${id}_step.py`), `revision = '${id}'\n`);
    }
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it("reports a folder of Alembic's .py revisions instead of skipping it", async () => {
    for (const args of [['history'], ['upgrade', 'head'], ['current']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr.trim()).to.match(/holds 2 Alembic revision files \(\.py\) and no Retort revision: .* see README "Moving from Alembic"\.$/);
    }
  });

  it('names the Alembic revision the database is at and points to the baseline', async () => {
    const ini = path.join(project.dir, 'alembic.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('script_location = alembic', 'script_location = revisions'));
    const current = await run(['current']);
    expect(current.code).to.equal(0);
    expect(current.stdout.trim()).to.equal(`${ALEMBIC_HEAD} (not in revisions/)`);
    expect(current.stderr).to.contain(`migrate revision --autogenerate --baseline --rev-id ${ALEMBIC_HEAD} -m "baseline"`);
    const status = await run(['status']);
    expect(status.stdout)
      .to.match(/unknown revision/)
      .and.contain(`--rev-id ${ALEMBIC_HEAD}`);
    const up = await run(['upgrade', 'head']);
    expect(up.code).to.equal(2);
    expect(up.stderr).to.match(/is at revision 3f1a2b4c5d6e, which no file in .* defines\. If Alembic wrote it, make it Retort's baseline/);
  });

  it('a baseline with the Alembic head id puts the database at head at once: nothing to upgrade, check matches, data kept', async () => {
    const before = dumpSchema(db.url, { schema: 'app' });
    const base = await run(['revision', '--autogenerate', '--baseline', '--rev-id', ALEMBIC_HEAD, '-m', 'baseline']);
    expect(base.code, base.stderr).to.equal(0);
    const file = fs.readdirSync(path.join(project.dir, 'revisions')).find((f) => f.startsWith(ALEMBIC_HEAD))!;
    const source = fs.readFileSync(path.join(project.dir, 'revisions', file), 'utf8');
    expect(source)
      .to.match(/export const downRevision: string \| string\[\] \| null = null;/)
      .and.not.match(/\bapp\b\./);
    expect((await run(['current'])).stdout.trim()).to.equal(`${ALEMBIC_HEAD} (head)`);
    const up = await run(['upgrade', 'head']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout).to.match(/nothing to do/);
    const check = await run(['check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(dumpSchema(db.url, { schema: 'app' })).to.equal(before);
    expect((await query<{ n: number }>(db.url, 'select count(*)::int as n from app.station'))[0]!.n).to.equal(2);

    // the same baseline builds a new schema that matches too
    const fresh = await runCli(['-x', 'db=dev', '-x', 'schema=app2', 'upgrade', 'head', '--create-schema'], { cwd: project.dir });
    expect(fresh.code, fresh.stderr).to.equal(0);
    expect((await runCli(['-x', 'db=dev', '-x', 'schema=app2', 'check'], { cwd: project.dir })).code).to.equal(0);

    // a second baseline is refused: it would start a second history
    const again = await run(['revision', '--autogenerate', '--baseline', '-m', 'again']);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/A baseline starts the history, and .* already holds 1 revision/);
  });

  it('warns about .py files left beside Retort revisions', async () => {
    fs.writeFileSync(path.join(project.dir, 'revisions', 'old_alembic_step.py'), "revision = 'x'\n");
    const r = await run(['heads']);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.match(/^migrate: warning: .* also holds 1 Alembic revision file \(\.py\), which Retort does not run/);
  });
});

describe("cli: a PyCDS-style alembic.ini keeps the team's own variables", () => {
  let db: TestDatabase;
  let project: TestProject;
  before(async () => {
    db = await createTestDatabase('pycds');
    await query(db.url, 'create schema crmp; create schema tenant_x');
    project = createProject({
      labels: { dev: db.url },
      alembic: { schema_name: '${PYCDS_SCHEMA_NAME:-crmp}', su_role_name: '${PYCDS_SU_ROLE_NAME:-pcicdba}' },
      revisions: [
        {
          id: 'aaaa00000001',
          down: null,
          up: "  await ctx.sql`create table ${ctx.sql.id(ctx.schema, 'who')} as select ${ctx.suRole ?? ''}::text as su_role`.execute(ctx.db);",
          downBody: "  await ctx.db.schema.withSchema(ctx.schema).dropTable('who').execute();",
        },
      ],
    });
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('reads schema_name = ${PYCDS_SCHEMA_NAME:-crmp} and su_role_name = ${PYCDS_SU_ROLE_NAME:-pcicdba} from the environment, with their defaults', async () => {
    const plain = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(plain.code, plain.stderr).to.equal(0);
    expect(await query(db.url, 'select su_role from crmp.who')).to.deep.equal([{ su_role: 'pcicdba' }]);
    const tenant = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], {
      cwd: project.dir,
      env: { PYCDS_SCHEMA_NAME: 'tenant_x', PYCDS_SU_ROLE_NAME: 'ops' },
    });
    expect(tenant.code, tenant.stderr).to.equal(0);
    expect(await query(db.url, 'select su_role from tenant_x.who')).to.deep.equal([{ su_role: 'ops' }]);
  });
});

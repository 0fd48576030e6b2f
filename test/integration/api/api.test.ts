import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { autogenerate, check, ConfigError, current, diff, downgrade, history, pull, stamp, status, upgrade, type RetortEvent } from '../../../src';
import { PACKAGE_NAME } from '../../../src/package-info';
import { createProject, type TestProject } from '../../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';

/** A shop of two tables; the model imports the DSL from the same source the test calls. */
const MODEL = `import { defineModel, integer, serial, sql, table, text, timestamptz } from '${path.resolve(__dirname, '../../../src').replace(/\\/g, '/')}';
const customer = table('customer', { id: serial().primaryKey(), name: text().notNull() });
const orders = table('orders', {
  id: serial().primaryKey(),
  customer_id: integer().notNull().references('customer', 'id'),
  placed_at: timestamptz().notNull().defaultTo(sql\`now()\`),
});
export const model = defineModel({ tables: [customer, orders] });
`;

const REV = 'aaaa00000001';

/** Runs `fn` and fails if it wrote anything to stdout or stderr: library functions return data. */
async function silent<T>(fn: () => Promise<T>): Promise<T> {
  const written: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    expect(written.join(''), 'the API printed').to.equal('');
  }
}

async function tablesOf(url: string, schema: string): Promise<string[]> {
  const rows = await query<{ t: string }>(url, 'select table_name as t from information_schema.tables where table_schema = $1 order by 1', [schema]);
  return rows.map((r) => r.t);
}

describe('api: the library functions return data and print nothing', () => {
  let db: TestDatabase;
  let dev: TestDatabase;
  let project: TestProject;
  // Every call names the project and the database; no ambient DATABASE_URL or SCHEMA_NAME counts.
  let base: { cwd: string; db: string; env: Record<string, string> };

  before(async () => {
    db = await createTestDatabase('api');
    dev = await createTestDatabase('apidev');
    await query(db.url, 'create schema shop');
    project = createProject({ labels: { app: db.url }, alembic: { schema_name: 'shop', model: 'model.ts', dev_url: dev.url } });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
    base = { cwd: project.dir, db: 'app', env: {} };
  });
  after(async () => {
    project.remove();
    await db.drop();
    await dev.drop();
  });

  it('check reports the drift of an empty schema from the model, as operations and SQL', async () => {
    const r = await silent(() => check(base));
    expect(r.target).to.equal('app:shop');
    expect(r.matches).to.equal(false);
    expect(r.heads).to.deep.equal([]);
    expect(r.operations.map((o) => o.kind)).to.include('createTable');
    expect(r.sql).to.match(/CREATE TABLE "shop"\."customer"/);
    expect(r.sql).to.match(/CREATE TABLE "shop"\."orders"/);
  });

  it('autogenerate writes a revision and returns its path and the changes it detected', async () => {
    const r = await silent(() => autogenerate({ ...base, message: 'shop tables', revId: REV }));
    expect(r.id).to.equal(REV);
    expect(r.path).to.be.a('string');
    expect(path.dirname(r.path!)).to.equal(path.join(project.dir, 'revisions'));
    expect(fs.readFileSync(r.path!, 'utf8')).to.include(`revision = '${REV}'`);
    expect(r.detected).to.include.members(["Detected added table 'customer'", "Detected added table 'orders'"]);
    expect(r.operations).to.be.greaterThan(1);
    expect(await tablesOf(db.url, 'shop')).to.deep.equal([]);
  });

  it('history lists the revisions, newest first', async () => {
    const list = await silent(() => history({ cwd: project.dir }));
    expect(list.map((r) => [r.id, r.message, r.isHead])).to.deep.equal([[REV, 'shop tables', true]]);
  });

  it('upgrade with sql returns the script and touches nothing', async () => {
    const r = await silent(() => upgrade({ ...base, sql: true }));
    expect(r.script).to.match(/create table "shop"\."customer"/);
    expect(r.script).to.include(`insert into "shop"."alembic_version" (version_num) values ('${REV}');`);
    expect(await tablesOf(db.url, 'shop')).to.deep.equal([]);
  });

  it('upgrade applies the steps and returns each with its timing; progress goes to onEvent', async () => {
    const events: RetortEvent[] = [];
    const r = await silent(() => upgrade({ ...base, onEvent: (e) => events.push(e) }));
    expect(r.target).to.equal('app:shop');
    expect(r.from).to.deep.equal([]);
    expect(r.to).to.deep.equal([REV]);
    expect(r.steps).to.have.length(1);
    expect(r.steps[0]).to.include({ direction: 'up', revision: REV, message: 'shop tables' });
    expect(r.steps[0]!.durationMs).to.be.a('number').and.at.least(0);
    expect(await tablesOf(db.url, 'shop')).to.deep.equal(['alembic_version', 'alembic_version_history', 'customer', 'orders']);
    expect(events.some((e) => e.type === 'progress' && e.message.includes(REV))).to.equal(true);
    const again = await silent(() => upgrade(base));
    expect(again.steps).to.deep.equal([]);
  });

  it('check then finds that the schema matches the model', async () => {
    const r = await silent(() => check(base));
    expect(r).to.deep.include({ matches: true, operations: [], sql: '', heads: [REV] });
  });

  it('current and status read the version table', async () => {
    const c = await silent(() => current(base));
    expect(c.heads.map((h) => h.id)).to.deep.equal([REV]);
    expect(c).to.deep.include({ unknown: [], versionTable: true, schemaExists: true });
    const rows = await silent(() => status({ ...base, schema: 'shop,nowhere' }));
    expect(rows.map((r) => [r.target, r.state, r.current, r.pending])).to.deep.equal([
      ['app:shop', 'ok', [REV], 0],
      ['app:nowhere', 'no-schema', [], undefined],
    ]);
    const drift = await silent(() => status({ ...base, drift: true }));
    expect(drift.map((r) => r.drift)).to.deep.equal([0]);
  });

  it('pull returns the schema as a model module, and writes nothing', async () => {
    const before = fs.readdirSync(project.dir).sort();
    const r = await silent(() => pull(base));
    expect(r.target).to.equal('app:shop');
    expect(r.counts.tables).to.equal(2);
    expect(r.source).to.include(`from '${PACKAGE_NAME}'`);
    expect(r.source).to.match(/table\('customer'/);
    expect(r.source).to.match(/table\('orders'/);
    expect(r.snapshot.tables.map((t) => t.name)).to.include.members(['customer', 'orders']);
    expect(fs.readdirSync(project.dir).sort()).to.deep.equal(before);
  });

  it('diff returns the operations between two live schemas', async () => {
    await silent(() => upgrade({ ...base, schema: 'copy', createSchema: true }));
    const same = await silent(() => diff({ cwd: project.dir, env: {}, from: { db: 'app', schema: 'shop' }, to: { db: 'app', schema: 'copy' } }));
    expect(same.operations).to.deep.equal([]);
    expect(same.sql).to.equal('');
    await query(db.url, 'create schema empty');
    const gone = await silent(() => diff({ cwd: project.dir, env: {}, from: { db: 'app', schema: 'shop' }, to: { url: db.url, schema: 'empty' } }));
    const dropped = gone.operations.flatMap((o) => (o.kind === 'dropTable' ? [o.table.name] : []));
    expect(dropped).to.include.members(['customer', 'orders']);
    expect(gone.sql).to.match(/DROP TABLE "shop"\."orders"/);
  });

  it('downgrade returns the reverse steps; stamp writes the version table alone', async () => {
    const r = await silent(() => downgrade({ ...base, revision: 'base' }));
    expect(r.from).to.deep.equal([REV]);
    expect(r.to).to.deep.equal([]);
    expect(r.steps.map((s) => [s.direction, s.revision])).to.deep.equal([['down', REV]]);
    expect(await tablesOf(db.url, 'shop')).to.deep.equal(['alembic_version', 'alembic_version_history']);
    const s = await silent(() => stamp({ ...base, revisions: ['head'] }));
    expect(s).to.deep.equal({ target: 'app:shop', from: [], to: [REV] });
    expect(await query(db.url, 'select version_num from shop.alembic_version')).to.deep.equal([{ version_num: REV }]);
    expect(await tablesOf(db.url, 'shop')).to.deep.equal(['alembic_version', 'alembic_version_history']);
  });

  it('a mistake is a RetortError with a code, thrown rather than printed', async () => {
    const error = await silent(() =>
      upgrade({ ...base, db: 'nosuch' }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect(error).to.include({ code: 'UNKNOWN_LABEL', exitCode: 2 });
    const two = await silent(() =>
      upgrade({ ...base, schema: 'a,b' }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(two).to.be.instanceOf(ConfigError).and.include({ code: 'ONE_TARGET' });
    expect(await tablesOf(db.url, 'a')).to.deep.equal([]);
  });
});

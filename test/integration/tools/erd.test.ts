import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { readErdModel } from '../../../src/erd/read-erd-model';
import { createProject, psql, runCli, type TestProject } from '../../support/cli';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const FIXTURE = `
create schema shop;
create table shop.customer (id serial primary key, email varchar(255) not null unique, name text);
create table shop.product (sku char(8) primary key, price numeric(10,2) not null);
create table shop."order" (id bigserial primary key, customer_id int not null references shop.customer (id), placed timestamptz not null);
create table shop.order_line (order_id bigint references shop."order" (id), sku char(8) references shop.product (sku), qty int not null, primary key (order_id, sku));
create table shop.profile (customer_id int primary key references shop.customer (id), bio text);
create table shop.measure (id int, taken date not null) partition by range (taken);
create table shop.measure_2024 partition of shop.measure for values from ('2024-01-01') to ('2025-01-01');
create view shop.big_orders as select o.id, c.email from shop."order" o join shop.customer c on c.id = o.customer_id;
create materialized view shop.sales as select sku, sum(qty) as n from shop.order_line group by sku;
create table shop.alembic_version (version_num varchar(32) primary key);
create table shop.alembic_version_history (revision varchar(32));
create schema other;
create table other.t (id int);
create schema empty;
`;

describe('erd: read from the catalog and drawn by the CLI', () => {
  let db: TestDatabase;
  let project: TestProject;
  before(async () => {
    db = await createTestDatabase('erd');
    const r = psql(db.url, [], FIXTURE);
    expect(r.code, r.stderr).to.equal(0);
    project = createProject({ labels: { dev: db.url }, alembic: { schema_name: 'shop' } });
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('reads tables, views, keys and view dependencies in one schema, without partitions or the version tables', async () => {
    const k = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: db.url, max: 1 }) }) });
    try {
      const model = await readErdModel(k, { schema: 'shop', excludeTables: ['alembic_version', 'alembic_version_history'] });
      expect(model.entities.map((e) => `${e.kind}:${e.name}`)).to.deep.equal([
        'table:customer',
        'table:measure',
        'table:order',
        'table:order_line',
        'table:product',
        'table:profile',
        'view:big_orders',
        'materialized view:sales',
      ]);
      const order = model.entities.find((e) => e.name === 'order')!;
      expect(order.columns.map((c) => `${c.name} ${c.type}${c.primaryKey ? ' PK' : ''}${c.foreignKey ? ' FK' : ''}${c.nullable ? '' : ' NN'}`)).to.deep.equal([
        'id bigint PK NN',
        'customer_id integer FK NN',
        'placed timestamp with time zone NN',
      ]);
      expect(
        model.relations.filter((r) => r.kind === 'foreign-key').map((r) => `${r.from}(${r.fromColumns}) -> ${r.to}(${r.toColumns})${r.oneToOne ? ' 1:1' : ''}`),
      ).to.deep.equal([
        'order(customer_id) -> customer(id)',
        'order_line(order_id) -> order(id)',
        'order_line(sku) -> product(sku)',
        'profile(customer_id) -> customer(id) 1:1',
      ]);
      expect(model.relations.filter((r) => r.kind === 'view-source').map((r) => `${r.from} -> ${r.to}`)).to.deep.equal([
        'big_orders -> customer',
        'big_orders -> order',
        'sales -> order_line',
      ]);
    } finally {
      await k.destroy();
    }
  });

  it('prints Mermaid to stdout by default', async () => {
    const r = await runCli(['-x', 'db=dev', 'erd'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^erDiagram\n/);
    expect(r.stdout).to.contain('    customer ||--o{ order : "customer_id"');
    expect(r.stdout).to.contain('    order_line ||..o{ sales : "read by view"');
    expect(r.stdout).not.to.contain('alembic_version');
    expect(r.stdout).not.to.contain('measure_2024');
  });

  it('writes DOT and SVG files with -o, and --json reports what it wrote', async () => {
    const dot = await runCli(['-x', 'db=dev', 'erd', '--format', 'dot', '-o', 'out/shop.dot'], { cwd: project.dir });
    expect(dot.code, dot.stderr).to.equal(0);
    expect(dot.stdout.trim()).to.equal(`Wrote ${path.join(project.dir, 'out', 'shop.dot')}: dev:shop, 6 tables, 2 views (dot)`);
    expect(fs.readFileSync(path.join(project.dir, 'out', 'shop.dot'), 'utf8')).to.match(/^digraph erd \{/);
    const svg = await runCli(['-x', 'db=dev', '--json', 'erd', '--format', 'svg', '-o', 'shop.svg'], { cwd: project.dir });
    expect(svg.code, svg.stderr).to.equal(0);
    expect((JSON.parse(svg.stdout) as { targets: Array<{ result: unknown }> }).targets[0]!.result).to.deep.equal({
      target: 'dev:shop',
      format: 'svg',
      file: path.join(project.dir, 'shop.svg'),
      tables: 6,
      views: 2,
    });
    const text = fs.readFileSync(path.join(project.dir, 'shop.svg'), 'utf8');
    expect(text).to.contain('<svg');
    expect((text.match(/class="node"/g) ?? []).length).to.equal(8);
  });

  it('draws another schema with -x schema=, and names the problem for a missing or empty schema, a bad format, or two targets', async () => {
    const other = await runCli(['-x', 'db=dev', '-x', 'schema=other', 'erd'], { cwd: project.dir });
    expect(other.stdout).to.contain('    t {\n        integer id\n    }');
    const missing = await runCli(['-x', 'db=dev', '-x', 'schema=nope', 'erd'], { cwd: project.dir });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('Schema "nope" does not exist in database dev');
    const empty = await runCli(['-x', 'db=dev', '-x', 'schema=empty', 'erd'], { cwd: project.dir });
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.contain('Schema "empty" in database dev has no tables or views to draw');
    const format = await runCli(['-x', 'db=dev', 'erd', '--format', 'png'], { cwd: project.dir });
    expect(format.code).to.equal(2);
    expect(format.stderr).to.contain('--format png is not a diagram format. Use one of: mermaid, dot, svg.');
    const two = await runCli(['-x', 'db=dev', '-x', 'schema=shop,other', 'erd'], { cwd: project.dir });
    expect(two.code).to.equal(2);
    expect(two.stderr).to.contain('erd works on one database and one schema, and 2 are named');
  });
});

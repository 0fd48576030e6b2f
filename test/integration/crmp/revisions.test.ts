import { expect } from 'chai';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { createTestDatabase, randomSchemaName, testServerUrl, type TestDatabase } from '../../support/database';
import { loadRevisions, RevisionRunner } from '../../support/run-revisions';
import { isEmpty, schemaInventory, type SchemaInventory } from './schema-inventory';
import { createSuRole, type SuRole } from './su-role';

describe('crmp revisions (integration)', () => {
  let database: TestDatabase;
  let su: SuRole;
  let admin: Kysely<any>;
  const revisions = loadRevisions();
  const runners: RevisionRunner[] = [];

  before(async () => {
    database = await createTestDatabase('crmprev');
    su = await createSuRole(await testServerUrl());
    admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
  });

  after(async () => {
    await Promise.all(runners.map((r) => r.close()));
    await admin?.destroy();
    await database?.drop();
    await su?.drop();
  });

  async function runner(options: { suRole?: string } = { suRole: su.name }): Promise<RevisionRunner> {
    const schema = randomSchemaName('crmp');
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    const r = await RevisionRunner.open({ url: database.url, schema, revisions, ...options });
    runners.push(r);
    return r;
  }

  const inventory = (schema: string) => schemaInventory(admin, schema);
  const tables = (inv: SchemaInventory) => inv.relations.filter((r) => r.includes('"relkind":"r"')).length;

  it('has a linear history of at least six revisions, one non-transactional', () => {
    expect(revisions.length).to.be.at.least(6);
    expect(revisions[0]!.downRevision).to.equal(null);
    expect(revisions.filter((r) => !r.transactional).map((r) => r.id)).to.deep.equal(['e6f1b3a5d7c9']);
  });

  it('upgrades to head and back to base, leaving nothing behind', async () => {
    const r = await runner();
    expect(isEmpty(await inventory(r.schema))).to.equal(true);
    await r.upgrade();
    const head = await inventory(r.schema);
    expect(tables(head)).to.equal(18);
    expect(head.views).to.have.length(8);
    expect(head.functions).to.have.length(10);
    expect(head.triggers).to.have.length(3);
    await r.downgrade('base');
    expect(await inventory(r.schema)).to.deep.equal({
      relations: [],
      columns: [],
      constraints: [],
      indexes: [],
      views: [],
      functions: [],
      triggers: [],
      types: [],
      sequences: [],
    });
  });

  it('runs each revision up, down and up again; each downgrade restores exactly the state before it', async () => {
    const r = await runner();
    let before = await inventory(r.schema);
    for (const revision of revisions) {
      await r.run(revision, 'up');
      const after = await inventory(r.schema);
      expect(after, `${revision.id} changes nothing`).not.to.deep.equal(before);
      await r.run(revision, 'down');
      expect(await inventory(r.schema), `downgrade of ${revision.id}`).to.deep.equal(before);
      await r.run(revision, 'up');
      expect(await inventory(r.schema), `second upgrade of ${revision.id}`).to.deep.equal(after);
      before = after;
    }
  });

  it('keeps two schemas of one database apart', async () => {
    const a = await runner();
    const b = await runner();
    await a.upgrade();
    await b.upgrade('8b3f2d6a9c10'); // before the rename of col_hex
    await sql`insert into ${sql.id(a.schema, 'meta_network')} (network_name, color) values ('EC', '#00ff00')`.execute(admin);
    await sql`insert into ${sql.id(b.schema, 'meta_network')} (network_name, col_hex) values ('MoTI', '#0000ff')`.execute(admin);
    const names = async (schema: string) =>
      (await sql<{ network_name: string }>`select network_name from ${sql.id(schema, 'meta_network')}`.execute(admin)).rows.map((x) => x.network_name);
    expect(await names(a.schema)).to.deep.equal(['EC']);
    expect(await names(b.schema)).to.deep.equal(['MoTI']);

    const bBefore = await inventory(b.schema);
    const aHead = await inventory(a.schema);
    await a.downgrade('base');
    expect(await inventory(b.schema)).to.deep.equal(bBefore);
    await b.upgrade();
    expect(await inventory(b.schema)).to.deep.equal(aHead);
    expect(await names(b.schema)).to.deep.equal(['MoTI']);
  });

  it('creates the privileged function as the su role and everything else as the connecting user', async () => {
    const r = await runner();
    await r.upgrade();
    const me = await r.currentUser();
    expect(me).not.to.equal(su.name);
    const owners = await sql<{ what: string; owner: string }>`
      select 'relation ' || relname as what, pg_get_userbyid(relowner) as owner from pg_class where relnamespace = ${r.schema}::regnamespace
      union all
      select 'function ' || proname, pg_get_userbyid(proowner) from pg_proc where pronamespace = ${r.schema}::regnamespace
      union all
      select 'type ' || typname, pg_get_userbyid(typowner) from pg_type where typnamespace = ${r.schema}::regnamespace
    `.execute(admin);
    const bySu = owners.rows.filter((o) => o.owner === su.name).map((o) => o.what);
    expect(bySu).to.deep.equal(['function moddatetime_wrapper']);
    expect(owners.rows.filter((o) => o.owner !== su.name && o.owner !== me)).to.deep.equal([]);
    expect(owners.rows.length).to.be.greaterThan(100);
  });

  it('stops at the privileged revision without a su role, rolling it back', async () => {
    const r = await runner({});
    await r.upgrade('a93c5f17e6b2');
    const before = await inventory(r.schema);
    let failure: unknown;
    await r.upgrade().catch((error: unknown) => (failure = error));
    expect(failure).to.have.property('code', 'NO_SU_ROLE');
    expect(r.current).to.equal('a93c5f17e6b2');
    expect(await inventory(r.schema)).to.deep.equal(before);
  });
});

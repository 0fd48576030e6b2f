import { expect } from 'chai';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { crmp } from '../../../src/crmp';
import { createAll } from '../../../src/model';
import { createTestDatabase, randomSchemaName, testServerUrl, type TestDatabase } from '../../support/database';
import { RevisionRunner } from '../../support/run-revisions';
import { dumpSchema, schemaInventory, type SchemaInventory } from './schema-inventory';
import { createSuRole, type SuRole } from './su-role';

// The model is the schema as it stands at head; the revisions are how it got
// there. Both must give the same objects, as PostgreSQL prints them back.

describe('crmp: revisions at head = createAll(model) (integration)', () => {
  let database: TestDatabase;
  let su: SuRole;
  let db: Kysely<any>;
  const fromRevisions = randomSchemaName('rev');
  const fromModel = randomSchemaName('mod');
  let revisionInventory: SchemaInventory;
  let modelInventory: SchemaInventory;

  before(async () => {
    database = await createTestDatabase('crmpeq');
    su = await createSuRole(await testServerUrl());
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
    await sql`create schema ${sql.id(fromRevisions)}`.execute(db);
    const runner = await RevisionRunner.open({ url: database.url, schema: fromRevisions, suRole: su.name });
    try {
      await runner.upgrade();
    } finally {
      await runner.close();
    }
    await createAll(crmp, { db, schema: fromModel, suRole: su.name, createSchema: true });
    revisionInventory = await schemaInventory(db, fromRevisions);
    modelInventory = await schemaInventory(db, fromModel);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
    await su?.drop();
  });

  for (const part of ['relations', 'columns', 'constraints', 'indexes', 'views', 'functions', 'triggers', 'types', 'sequences'] as const) {
    it(`holds the same ${part}`, () => {
      expect(modelInventory[part].length, `${part} of the model`).to.be.greaterThan(0);
      expect(modelInventory[part]).to.deep.equal(revisionInventory[part]);
    });
  }

  it('dumps to the same pg_dump --schema-only text', async () => {
    const [a, b] = await Promise.all([dumpSchema(database.url, fromRevisions), dumpSchema(database.url, fromModel)]);
    expect(a).to.contain('CREATE MATERIALIZED VIEW "<schema>"."station_obs_stats_mv"');
    expect(a).to.contain('OWNER TO "' + su.name + '"');
    expect(b.split('\n')).to.deep.equal(a.split('\n'));
  });

  it('would notice a difference (the comparison is not vacuous)', async () => {
    await sql`alter table ${sql.id(fromModel, 'meta_sensor')} alter column name type text`.execute(db);
    const changed = await schemaInventory(db, fromModel);
    expect(changed.columns).not.to.deep.equal(revisionInventory.columns);
    await sql`alter table ${sql.id(fromModel, 'meta_sensor')} alter column name type character varying(255)`.execute(db);
    expect((await schemaInventory(db, fromModel)).columns).to.deep.equal(revisionInventory.columns);
  });
});

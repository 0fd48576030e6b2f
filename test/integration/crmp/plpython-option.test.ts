import { expect } from 'chai';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { crmpWithPlpython } from '../../../src/crmp';
import { RetortError } from '../../../src/errors';
import { createAll, modelStatements } from '../../../src/model';
import { createTestDatabase, randomSchemaName, testServerUrl, type TestDatabase } from '../../support/database';
import { isEmpty, schemaInventory } from './schema-inventory';
import { createSuRole, type SuRole } from './su-role';

// PL/Python is optional: where the server has it, the function is built as the
// su role and works; where it has not, createAll fails on that function and
// leaves nothing behind. Either way the outcome is asserted.

describe('crmp with PL/Python (integration, outcome depends on the server)', () => {
  let database: TestDatabase;
  let su: SuRole;
  let db: Kysely<any>;
  let available: boolean;

  before(async () => {
    database = await createTestDatabase('crmppy');
    su = await createSuRole(await testServerUrl());
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_available_extensions where name = 'plpython3u'`.execute(db);
    available = rows[0]!.n > 0;
    if (available) await sql`create extension if not exists plpython3u`.execute(db);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
    await su?.drop();
  });

  it('renders the PL/Python function for the su role', () => {
    const py = modelStatements(crmpWithPlpython, 'x').filter((s) => s.object === 'function query_one_station_py');
    expect(py).to.have.length(1);
    expect(py[0]).to.include({ privileged: true });
    expect(py[0]!.sql).to.contain(' LANGUAGE plpython3u\n STABLE\n');
    expect(py[0]!.sql).to.contain("plpy.quote_ident('x')");
  });

  it('builds it where plpython3u is installed, and fails cleanly where it is not', async () => {
    const schema = randomSchemaName('py');
    await sql`create schema ${sql.id(schema)}`.execute(db);
    const outcome = await createAll(crmpWithPlpython, { db, schema, suRole: su.name }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (available) {
      expect(outcome).to.equal(undefined);
      const { rows } = await sql<{
        owner: string;
        q: string | null;
      }>`select pg_get_userbyid(proowner) as owner, ${sql.id(schema, 'query_one_station_py')}(1) as q
        from pg_proc where proname = 'query_one_station_py' and pronamespace = ${schema}::regnamespace`.execute(db);
      expect(rows).to.deep.equal([{ owner: su.name, q: null }]);
    } else {
      expect(outcome).to.be.instanceOf(RetortError).with.property('code', 'CREATE_ALL_FAILED');
      expect((outcome as Error).message).to.match(/Creating function query_one_station_py .*language "plpython3u" does not exist/);
      expect(isEmpty(await schemaInventory(db, schema))).to.equal(true);
    }
  });
});

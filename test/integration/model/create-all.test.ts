import { expect } from 'chai';
import { sql, type Kysely } from 'kysely';
import { DatabaseError, RetortError } from '../../../src/errors';
import { createAll, defineModel, grant, integer, materializedView, pgFunction, serial, table, text, timestamp, trigger, view } from '../../../src/model';
import { randomSchemaName } from '../../support/database';
import { schemaInventory, isEmpty } from '../crmp/schema-inventory';
import type { SuRole } from '../crmp/su-role';
import { useSuDatabase } from '../crmp/su-database';

const item = table('item', {
  id: serial().primaryKey(),
  name: text().notNull(),
  parent_id: integer().references('item', 'id', { onDelete: 'cascade' }),
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
}).index('item_name_idx', ['name']);
const stamp = pgFunction('stamp', {
  returns: 'trigger',
  language: 'c',
  privileged: true,
  body: { file: '$libdir/moddatetime', symbol: 'moddatetime' },
});
const names = view('item_names', { body: (s) => sql`select name from ${s('item')}` });
const counts = materializedView('item_counts', { body: (s) => sql`select parent_id, count(*) as n from ${s('item')} group by parent_id` });
const small = defineModel({
  tables: [item],
  functions: [stamp],
  views: [names],
  materializedViews: [counts],
  triggers: [trigger('item_stamp', { table: 'item', timing: 'before', events: ['update'], forEach: 'row', function: 'stamp', args: ['mod_time'] })],
  grants: [grant({ privileges: ['select'], on: { table: 'item_names' }, to: 'public' })],
});

describe('model/createAll (integration)', () => {
  const fixture = useSuDatabase('createall');
  let su: SuRole;
  let db: Kysely<any>;
  before(() => {
    ({ su, db } = fixture());
  });

  const owners = async (schema: string) =>
    (
      await sql<{ what: string; owner: string }>`
        select 'relation ' || relname as what, pg_get_userbyid(relowner) as owner from pg_class where relnamespace = ${schema}::regnamespace
        union all select 'function ' || proname, pg_get_userbyid(proowner) from pg_proc where pronamespace = ${schema}::regnamespace
        order by 1`.execute(db)
    ).rows;

  it('builds every object, the privileged one as the su role and the rest as the connecting user', async () => {
    const schema = randomSchemaName('ca');
    const { statements, operations } = await createAll(small, { db, schema, suRole: su.name, createSchema: true });
    expect(operations.map((op) => op.kind)).to.include.members(['createSequence', 'createTable', 'createRoutine', 'createView', 'createTrigger']);
    expect(statements.filter((s) => s.privileged).map((s) => s.object)).to.deep.equal(['function stamp']);
    expect(statements.map((s) => s.object)).to.include.members(['table item', 'view item_names', 'materialized view item_counts', 'trigger item_stamp']);
    const me = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
    expect(me).not.to.equal(su.name);
    const list = await owners(schema);
    expect(list.filter((o) => o.owner === su.name).map((o) => o.what)).to.deep.equal(['function stamp']);
    expect(list.filter((o) => o.owner === me).map((o) => o.what)).to.include.members([
      'relation item',
      'relation item_counts',
      'relation item_id_seq',
      'relation item_name_idx',
      'relation item_names',
      'relation item_pkey',
    ]);
    await sql`insert into ${sql.id(schema, 'item')} (name, mod_time) values ('a', '2000-01-01')`.execute(db);
    await sql`update ${sql.id(schema, 'item')} set name = 'b'`.execute(db);
    const row = (await sql<{ fresh: boolean }>`select mod_time > '2000-01-01' as fresh from ${sql.id(schema, 'item')}`.execute(db)).rows[0];
    expect(row).to.deep.equal({ fresh: true });
  });

  it('builds the same objects into two schemas of one database', async () => {
    const [a, b] = [randomSchemaName('ca'), randomSchemaName('ca')];
    await createAll(small, { db, schema: a, suRole: su.name, createSchema: true });
    await createAll(small, { db, schema: b, suRole: su.name, createSchema: true });
    expect(await schemaInventory(db, b)).to.deep.equal(await schemaInventory(db, a));
  });

  it('is all or nothing: a failing statement names the object and leaves the schema empty', async () => {
    const schema = randomSchemaName('ca');
    await sql`create schema ${sql.id(schema)}`.execute(db);
    const broken = defineModel({ tables: [item], views: [view('broken', { body: (s) => sql`select * from ${s('no_such_table')}` })] });
    const error = await createAll(broken, { db, schema }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RetortError).with.property('code', 'CREATE_ALL_FAILED');
    expect((error as Error).message).to.match(new RegExp(`Creating view broken in schema ${schema} failed: relation .*no_such_table.* does not exist`));
    expect(isEmpty(await schemaInventory(db, schema))).to.equal(true);
  });

  it('refuses privileged objects without a su role, creating nothing', async () => {
    const schema = randomSchemaName('ca');
    await sql`create schema ${sql.id(schema)}`.execute(db);
    const error = await createAll(small, { db, schema }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DatabaseError).with.property('code', 'NO_SU_ROLE');
    expect(isEmpty(await schemaInventory(db, schema))).to.equal(true);
  });

  it('joins the caller transaction, and uses the caller asSuperuser for privileged statements only', async () => {
    const schema = randomSchemaName('ca');
    const calls: string[] = [];
    const error = await db
      .transaction()
      .execute(async (trx) => {
        await sql`create schema ${sql.id(schema)}`.execute(trx);
        await createAll(small, {
          db: trx,
          schema,
          asSuperuser: async (fn) => {
            await sql`set role ${sql.id(su.name)}`.execute(trx);
            calls.push((await sql<{ u: string }>`select current_user as u`.execute(trx)).rows[0]!.u);
            try {
              return await fn(trx);
            } finally {
              await sql`reset role`.execute(trx);
            }
          },
        });
        const inside = await sql<{ n: number }>`select count(*)::int as n from pg_class where relnamespace = ${schema}::regnamespace`.execute(trx);
        expect(inside.rows[0]!.n).to.be.greaterThan(5);
        throw new Error('roll back');
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as Error).message).to.equal('roll back');
    expect(calls).to.deep.equal([su.name]);
    const exists = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db);
    expect(exists.rows[0]!.n).to.equal(0);
  });
});

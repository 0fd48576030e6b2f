import { expect } from 'chai';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, type Insertable, type Selectable } from 'kysely';
import { Pool } from 'pg';
import * as ts from 'typescript';
import { crmp, type CrmpDatabase } from '../../../src/crmp';
import { createAll } from '../../../src/model';
import { createTestDatabase, randomSchemaName, testServerUrl, type TestDatabase } from '../../support/database';
import { createSuRole, type SuRole } from '../crmp/su-role';

// Type-level test: this very file is compiled (first test) and must have no type
// errors, so every `@ts-expect-error` below must really be an error; then the
// typed queries run against a schema built by createAll.

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// Never called: it only has to compile, or fail to exactly where marked.
export function typeChecks(db: Kysely<CrmpDatabase>): void {
  type Station = Selectable<CrmpDatabase['meta_station']>;
  assertType<Equals<Station['station_id'], number>>();
  assertType<Equals<Station['native_id'], string | null>>();
  assertType<Equals<Station['publish'], boolean>>();
  assertType<Equals<Station['mod_time'], Date>>();
  assertType<Equals<Selectable<CrmpDatabase['obs_raw']>['obs_raw_id'], string>>();
  assertType<Equals<Selectable<CrmpDatabase['climo_station']>['type'], 'long-record' | 'composite' | 'prism'>>();
  assertType<Equals<Selectable<CrmpDatabase['crmp_network_geoserver']>['col_hex'], string | null>>();

  type NewObs = Insertable<CrmpDatabase['obs_raw']>;
  // obs_raw_id has a default, datum is nullable: both may be left out.
  const ok: NewObs = { obs_time: new Date(), vars_id: 1, history_id: 1 };
  // @ts-expect-error obs_time is required
  const missing: NewObs = { vars_id: 1, history_id: 1 };
  // @ts-expect-error climo_period_id is generated always
  const generated: Insertable<CrmpDatabase['climo_period']> = { climo_period_id: 1, start_date: '1971-01-01', end_date: '2000-12-31' };
  void [ok, missing, generated];

  void db.withSchema('crmp').selectFrom('meta_station').select(['station_id', 'native_id']);
  // @ts-expect-error no such column
  void db.withSchema('crmp').selectFrom('meta_station').select(['nope']);
  // @ts-expect-error no such table
  void db.withSchema('crmp').selectFrom('meta_stations').selectAll();
  // @ts-expect-error not one of the enum's labels
  void db.withSchema('crmp').updateTable('climo_station').set({ type: 'daily' });
}

describe('model/DatabaseOf: typed Kysely queries on the CRMP schema (integration)', () => {
  let database: TestDatabase;
  let su: SuRole;
  let db: Kysely<CrmpDatabase>;
  const schema = randomSchemaName('typed');

  before(async () => {
    database = await createTestDatabase('typed');
    su = await createSuRole(await testServerUrl());
    db = new Kysely<CrmpDatabase>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
    await createAll(crmp, { db, schema, suRole: su.name, createSchema: true });
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
    await su?.drop();
  });

  it('type-checks: typed queries compile and every @ts-expect-error is an error', () => {
    const configFile = resolve(__dirname, '../../../tsconfig.test.json');
    const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!config) throw new Error('cannot read tsconfig.test.json');
    const program = ts.createProgram([__filename], { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(__filename));
    const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).to.deep.equal([]);
  });

  it('inserts and selects through the typed interface', async () => {
    const s = db.withSchema(schema);
    const network = await s
      .insertInto('meta_network')
      .values({ network_name: 'EC', color: '#112233', publish: true })
      .returning('network_id')
      .executeTakeFirstOrThrow();
    const station = await s
      .insertInto('meta_station')
      .values({ native_id: '1100119', network_id: network.network_id })
      .returning(['station_id', 'publish', 'mod_time'])
      .executeTakeFirstOrThrow();
    expect(station.publish).to.equal(true);
    expect(station.mod_time).to.be.instanceOf(Date);
    const history = await s
      .insertInto('meta_history')
      .values({ station_id: station.station_id, station_name: 'Agassiz', lat: '49.24', lon: '-121.76', freq: '1-hourly', tz_offset: '-8 hours' })
      .returning('history_id')
      .executeTakeFirstOrThrow();
    const variable = await s
      .insertInto('meta_vars')
      .values({
        net_var_name: 'air_temp',
        standard_name: 'air_temperature',
        cell_method: 'time: point',
        network_id: network.network_id,
        display_name: 'Temperature',
      })
      .returning('vars_id')
      .executeTakeFirstOrThrow();
    const obs = await s
      .insertInto('obs_raw')
      .values({ obs_time: new Date('2024-02-10T12:00:00Z'), datum: 3.5, vars_id: variable.vars_id, history_id: history.history_id })
      .returning(['obs_raw_id'])
      .executeTakeFirstOrThrow();
    expect(obs.obs_raw_id).to.be.a('string');

    const rows = await s
      .selectFrom('meta_station')
      .innerJoin('meta_history', 'meta_history.station_id', 'meta_station.station_id')
      .select(['meta_station.station_id', 'meta_station.native_id', 'meta_history.lat', 'meta_history.tz_offset'])
      .execute();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ station_id: station.station_id, native_id: '1100119', lat: '49.24' });
    expect(rows[0]!.tz_offset).to.include({ hours: -8 });

    const climo = await s
      .insertInto('climo_period')
      .values({ start_date: '1971-01-01', end_date: '2000-12-31' })
      .returning(['climo_period_id', 'start_date'])
      .executeTakeFirstOrThrow();
    await s.insertInto('climo_station').values({ type: 'composite', climo_period_id: climo.climo_period_id }).execute();
    const types = await s.selectFrom('climo_station').select('type').execute();
    expect(types).to.deep.equal([{ type: 'composite' }]);
    expect(climo.start_date).to.be.instanceOf(Date);
  });

  it('reads views through the typed interface', async () => {
    const s = db.withSchema(schema);
    const flagged = await s.selectFrom('obs_with_flags').select(['net_var_name', 'datum', 'native_flags']).execute();
    expect(flagged).to.deep.equal([{ net_var_name: 'air_temp', datum: 3.5, native_flags: [] }]);
  });
});

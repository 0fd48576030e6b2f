import { expect } from 'chai';
import { sql, type Kysely } from 'kysely';
import { crmp } from '../../../src/crmp';
import { createAll } from '../../../src/model';
import { randomSchemaName, type TestDatabase } from '../../support/database';
import { RevisionRunner } from '../../support/run-revisions';
import type { SuRole } from './su-role';
import { useSuDatabase } from './su-database';

// The CRMP functions, triggers and views do what they are for, whether the
// schema was built by createAll or by the revisions.

describe('crmp schema behaviour (integration)', () => {
  const fixture = useSuDatabase('crmpbhv');
  let database: TestDatabase;
  let su: SuRole;
  let db: Kysely<any>;
  before(() => {
    ({ database, su, db } = fixture());
  });

  const builders: Record<string, (schema: string) => Promise<void>> = {
    createAll: async (schema) => {
      await createAll(crmp, { db, schema, suRole: su.name, createSchema: true });
    },
    revisions: async (schema) => {
      await sql`create schema ${sql.id(schema)}`.execute(db);
      const runner = await RevisionRunner.open({ url: database.url, schema, suRole: su.name });
      try {
        await runner.upgrade();
      } finally {
        await runner.close();
      }
    },
  };

  for (const [how, build] of Object.entries(builders)) {
    describe(`built by ${how}`, () => {
      const schema = randomSchemaName('crmp');
      const id = (name: string) => sql.id(schema, name);
      const one = async <T>(query: ReturnType<typeof sql<T>>): Promise<T> => (await query.execute(db)).rows[0]!;
      let station: number;
      let hidden: number;
      let history: number;
      let temp: number;
      let precip: number;

      before(async () => {
        await build(schema);
        const network = (
          await one<{ network_id: number }>(sql`insert into ${id('meta_network')} (network_name, color) values ('EC', '#aabbcc') returning network_id`)
        ).network_id;
        station = (
          await one<{ station_id: number }>(
            sql`insert into ${id('meta_station')} (native_id, network_id, mod_time) values ('A1', ${network}, '2000-01-01') returning station_id`,
          )
        ).station_id;
        hidden = (
          await one<{ station_id: number }>(
            sql`insert into ${id('meta_station')} (native_id, network_id, publish) values ('B2', ${network}, false) returning station_id`,
          )
        ).station_id;
        history = (
          await one<{ history_id: number }>(
            sql`insert into ${id('meta_history')} (station_id, station_name, freq) values (${station}, 'Agassiz', '1-hourly') returning history_id`,
          )
        ).history_id;
        await sql`insert into ${id('meta_history')} (station_id, station_name) values (${hidden}, 'Hidden')`.execute(db);
        temp = (
          await one<{ vars_id: number }>(
            sql`insert into ${id('meta_vars')} (net_var_name, standard_name, cell_method, network_id, display_name) values ('air_temp', 'air_temperature', 'time: point', ${network}, 'Temperature') returning vars_id`,
          )
        ).vars_id;
        precip = (
          await one<{ vars_id: number }>(
            sql`insert into ${id('meta_vars')} (net_var_name, standard_name, cell_method, network_id, display_name) values ('precip', 'precipitation', 'time: sum within days', ${network}, 'Precipitation') returning vars_id`,
          )
        ).vars_id;
        await sql`insert into ${id('obs_raw')} (obs_time, mod_time, datum, vars_id, history_id) values
          ('2024-02-10 00:00', '2000-01-01', 1.5, ${temp}, ${history}),
          ('2024-02-10 01:00', '2000-01-01', 2.5, ${temp}, ${history}),
          ('2024-03-01 00:00', '2000-01-01', 7, ${precip}, ${history})`.execute(db);
      });

      it('computes calendar helpers', async () => {
        const row = await one<Record<string, unknown>>(sql`select
            ${id('daysinmonth')}('2024-02-10') as feb, ${id('lastdateofmonth')}('2023-02-10')::text as last,
            ${id('season')}('2024-12-05')::text as winter, ${id('season')}('2024-08-01')::text as summer,
            ${id('effective_day')}('2024-01-01 13:00', 'MAX', '12-Hourly')::text as late_max,
            ${id('effective_day')}('2024-01-01 13:00', 'min', '12-hourly')::text as late_min`);
        expect(row).to.deep.equal({
          feb: 29,
          last: '2023-02-28',
          winter: '2024-01-15',
          summer: '2024-07-15',
          late_max: '2024-01-02 00:00:00',
          late_min: '2024-01-01 00:00:00',
        });
      });

      it('keeps mod_time current with the plpgsql trigger and with the C (moddatetime) trigger', async () => {
        await sql`update ${id('obs_raw')} set datum = datum + 1 where vars_id = ${temp}`.execute(db);
        await sql`update ${id('meta_station')} set native_id = 'A1x' where station_id = ${station}`.execute(db);
        const obs = await sql<{ recent: boolean }>`select mod_time > now() - interval '1 hour' as recent from ${id('obs_raw')} order by obs_time`.execute(db);
        expect(obs.rows.map((r) => r.recent)).to.deep.equal([true, true, false]);
        const st = await one<{ recent: boolean }>(
          sql`select mod_time > now() - interval '1 hour' as recent from ${id('meta_station')} where station_id = ${station}`,
        );
        expect(st.recent).to.equal(true);
      });

      it('updates station observation times and answers one-station queries', async () => {
        await sql`select ${id('updatesdateedate')}()`.execute(db);
        const st = await one<{ min: string; max: string }>(
          sql`select min_obs_time::text as min, max_obs_time::text as max from ${id('meta_station')} where station_id = ${station}`,
        );
        expect(st).to.deep.equal({ min: '2024-02-10 00:00:00', max: '2024-03-01 00:00:00' });
        const query = (await one<{ q: string }>(sql`select ${id('query_one_station')}(${station}) as q`)).q;
        const { rows } = await sql.raw<Record<string, unknown>>(query).execute(db);
        expect(rows).to.deep.equal([
          { obs_time: new Date(2024, 1, 10, 0), air_temp: 2.5 },
          { obs_time: new Date(2024, 1, 10, 1), air_temp: 3.5 },
        ]);
        const climo = (await one<{ q: string }>(sql`select ${id('query_one_station_climo')}(${station}) as q`)).q;
        expect(climo).to.match(/as precip from/);
      });

      it('serves published stations with their variables and statistics to GeoServer', async () => {
        for (const mv of ['vars_per_history_mv', 'collapsed_vars_mv', 'obs_count_per_month_history_mv', 'station_obs_stats_mv']) {
          await sql`refresh materialized view concurrently ${id(mv)}`.execute(db);
        }
        const { rows } = await sql`select native_id, col_hex, vars, display_names, min_obs_time::text as min, max_obs_time::text as max
          from ${id('crmp_network_geoserver')}`.execute(db);
        expect(rows).to.deep.equal([
          {
            native_id: 'A1x',
            col_hex: '#aabbcc',
            vars: 'air_temperature_point, precipitation_sum within days',
            display_names: 'Temperature|Precipitation',
            min: '2024-02-10 00:00:00',
            max: '2024-03-01 00:00:00',
          },
        ]);
        const counts = await sql`select count::int, date_trunc::date::text as month from ${id('obs_count_per_month_history_mv')} order by 2`.execute(db);
        expect(counts.rows).to.deep.equal([
          { count: 2, month: '2024-02-01' },
          { count: 1, month: '2024-03-01' },
        ]);
      });

      it('enforces its constraints', async () => {
        const fails = async (query: ReturnType<typeof sql>) => {
          const error = await query.execute(db).then(
            () => undefined,
            (e: unknown) => e,
          );
          return (error as { constraint?: string } | undefined)?.constraint;
        };
        expect(await fails(sql`insert into ${id('meta_network')} (color) values ('blue')`)).to.equal('meta_network_color_check');
        expect(
          await fails(sql`insert into ${id('meta_vars')} (net_var_name, standard_name, cell_method, network_id) values ('bad name', 'x', 'x', 1)`),
        ).to.equal('meta_vars_net_var_name_check');
        expect(await fails(sql`insert into ${id('obs_raw')} (obs_time, vars_id, history_id) values ('2024-02-10 00:00', ${temp}, ${history})`)).to.equal(
          'time_place_variable_unique',
        );
        expect(await fails(sql`insert into ${id('time_bounds')} (obs_raw_id, start, "end") values (1, '2024-01-02', '2024-01-01')`)).to.equal(
          'time_bounds_check',
        );
      });
    });
  }
});

/**
 * `pull` on a schema of the kind a real project has: PostGIS geometry, citext and hstore columns,
 * PL/Python functions a non-superuser created through an SU role (SET ROLE), a domain, an enum,
 * a partitioned table with partitions, row-level security with a policy, column grants, and
 * comments on everything. Built as that non-superuser, the pulled model gives the same schema.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createTestDatabase, testServerUrl, withAdmin, withDatabase, type TestDatabase } from '../../support/database';
import { createSuRole, type SuRole } from '../crmp/su-role';
import { execSql } from '../diff/schema-harness';
import { readSnapshot } from '../../../src/catalog/read-snapshot';
import { connect, pullRoundTrip, schemaDump, typeErrors, type PullRoundTrip } from './pull-harness';

const SCHEMA = `
create extension hstore schema geo;
create type geo.station_kind as enum ('manual', 'automatic');
comment on type geo.station_kind is 'How a station reports.';
create domain geo.depth as double precision default 0 constraint depth_positive check (value >= 0);
comment on domain geo.depth is 'Metres below the surface.';
create sequence geo.batch_seq start 100 increment 10;
comment on sequence geo.batch_seq is 'Batches of readings.';

create table geo.station (
  id integer generated always as identity primary key,
  code public.citext not null unique,
  kind geo.station_kind not null default 'manual',
  location public.geometry(Point, 4326) not null,
  tags geo.hstore,
  depth geo.depth,
  secret text collate "C",
  created timestamp with time zone not null default now()
);
comment on table geo.station is 'Where readings come from.';
comment on column geo.station.location is 'WGS 84.';
comment on constraint station_code_key on geo.station is 'Codes are unique, whatever their case.';
create index station_location_idx on geo.station using gist (location);
comment on index geo.station_location_idx is 'Nearest-station searches.';
alter table geo.station enable row level security;
create policy station_automatic on geo.station for select to READER using (kind = 'automatic');
comment on policy station_automatic on geo.station is 'Readers see automatic stations only.';
grant select (id, code, location) on geo.station to READER;

create table geo.reading (
  station_id integer not null references geo.station (id) on delete cascade,
  taken date not null,
  value numeric(8, 2) check (value > -1000),
  batch bigint default nextval('geo.batch_seq'),
  primary key (station_id, taken)
) partition by range (taken);
comment on table geo.reading is 'One value a day per station.';
create table geo.reading_2023 partition of geo.reading for values from ('2023-01-01') to ('2024-01-01');
create table geo.reading_2024 partition of geo.reading for values from ('2024-01-01') to ('2025-01-01');
create table geo.reading_other partition of geo.reading default;
comment on table geo.reading_2023 is 'Closed year.';
grant select on geo.reading to READER;

create view geo.station_position as
  select s.id, s.code, public.st_x(s.location) as lon, public.st_y(s.location) as lat from geo.station s;
comment on view geo.station_position is 'Coordinates as numbers.';
comment on column geo.station_position.lon is 'Degrees east.';
create materialized view geo.station_kinds as select kind, count(*) as n from geo.station group by kind;
create unique index station_kinds_kind_idx on geo.station_kinds (kind);

set role SU;
create function geo.distance_km(a public.geometry, b public.geometry) returns double precision
  language plpython3u immutable strict as $py$
import math
(x1, y1), (x2, y2) = [(float(p.split()[0]), float(p.split()[1])) for p in (a, b)]
return math.hypot(x2 - x1, y2 - y1) * 111.32
$py$;
create function geo.station_count() returns bigint language plpython3u stable as $py$
plan = plpy.prepare("select count(*) as n from " + plpy.quote_ident('geo') + ".station")
return plpy.execute(plan)[0]["n"]
$py$;
comment on function geo.station_count() is 'Counted in Python.';
revoke execute on function geo.station_count() from public;
grant execute on function geo.station_count() to READER;
grant execute on function geo.distance_km(public.geometry, public.geometry) to USER;
reset role;
create policy station_own on geo.station for update to USER using (true);

create function geo.touch() returns trigger language plpgsql set search_path = geo, public as $$
begin
  new.created := now();
  return new;
end
$$;
create trigger station_touch before update on geo.station for each row
  when (old.code is distinct from new.code) execute function geo.touch();
comment on trigger station_touch on geo.station is 'A new code is a new station.';
`;

describe('pull: PostGIS, citext, hstore, PL/Python through an SU role, partitions, RLS (integration)', () => {
  const suffix = randomBytes(4).toString('hex');
  const user = `retort_pull_user_${suffix}`;
  const reader = `retort_pull_reader_${suffix}`;
  let server: string;
  let from: TestDatabase;
  let to: TestDatabase;
  let su: SuRole;
  let result: PullRoundTrip | undefined;
  const asUser = (db: TestDatabase) => {
    const url = new URL(withDatabase(server, db.name));
    url.username = user;
    return url.toString();
  };

  before(async () => {
    server = await testServerUrl();
    su = await createSuRole(server);
    await withAdmin(server, async (c) => {
      await c.query(`create role "${user}" login nosuperuser`);
      await c.query(`create role "${reader}" nologin`);
      await c.query(`grant "${su.name}" to "${user}"`);
    });
    [from, to] = await Promise.all([createTestDatabase('pull_gis'), createTestDatabase('pull_gis2')]);
    for (const db of [from, to]) {
      // the language is the server's, not the schema's: the administrator installs it in each database
      await withAdmin(db.url, async (c) => {
        await c.query(`alter database "${db.name}" owner to "${user}"`);
        await c.query('create extension plpython3u');
      });
    }
    // PostGIS and citext live in public; the schema uses them
    await withAdmin(from.url, (c) => c.query('create extension postgis; create extension citext'));
    await execSql(asUser(from), 'create schema geo');
    await execSql(
      asUser(from),
      SCHEMA.replace(/READER/g, `"${reader}"`)
        .replace(/\bUSER\b/g, `"${user}"`)
        .replace(/\bSU\b/g, `"${su.name}"`),
    );
  });

  after(async () => {
    if (result) rmSync(result.dir, { recursive: true, force: true });
    await from?.drop();
    await to?.drop();
    await withAdmin(server, async (c) => {
      await c.query(`drop role if exists "${user}"`);
      await c.query(`drop role if exists "${reader}"`);
    });
    await su?.drop();
  });

  it('builds, as the same non-superuser, the same snapshot and pg_dump into another schema of another database', async () => {
    result = await pullRoundTrip({ from: { url: asUser(from), schema: 'geo' }, to: { url: asUser(to), schema: 'geo_pulled' }, suRole: su.name, what: 'geo' });
    const { original, source } = result;
    expect(original.extensions.map((x) => [x.name, x.schema, x.privileged])).to.deep.equal([
      ['citext', 'public', false],
      ['hstore', null, false],
      // the language of the plpython3u functions is an extension the schema uses
      ['plpython3u', 'pg_catalog', true],
      ['postgis', 'public', true],
    ]);
    expect(original.routines.filter((r) => r.privileged).map((r) => [r.name, r.owner])).to.deep.equal([
      ['distance_km', su.name],
      ['station_count', su.name],
    ]);
    expect(original.tables.filter((t) => t.partitionOf).map((t) => t.name)).to.deep.equal(['reading_2023', 'reading_2024', 'reading_other']);
    expect(source).to.contain("location: column<unknown>('public.geometry(Point,4326)').notNull().comment('WGS 84.')");
    expect(source).to.contain("code: column<string>('public.citext').notNull(),");
    expect(source).to.contain(".unique(['code'], 'station_code_key', { comment: 'Codes are unique, whatever their case.' })");
    expect(source).to.contain('kind: enumColumn(stationKind),');
    expect(source).to.contain("tags: column<string>('hstore')");
    expect(source).to.contain("const readingOther = reading.partition('reading_other', sql`DEFAULT`);");
    expect(source).to.contain("language: 'plpython3u',");
    expect(source).to.contain('plpy.quote_ident(${s.literal})');
    expect(source).to.contain("set: { search_path: (s) => sql`${s.id}, 'public'` },");
    expect(source).to.contain(`revoke({ privileges: ['execute'], on: { function: 'station_count' }, from: 'public' })`);
    expect(source).to.contain(
      `grant({\n      privileges: ['select'],\n      on: { table: 'station', columns: ['id', 'code', 'location'] },\n      to: '${reader}',\n    })`,
    );
    expect(source).to.contain("grant({ privileges: ['execute'], on: { function: 'distance_km' }, to: 'session_user' })");
    expect(source).to.contain("policy('station_own', { table: 'station', for: 'update', to: ['session_user'], using: sql`true` })");
    expect(source).not.to.contain(su.name);
    expect(source).not.to.contain(user);
  });

  it('would notice a difference (the comparisons are not vacuous)', async () => {
    expect(result, 'the round trip ran').not.to.equal(undefined);
    const before = await schemaDump(asUser(to), 'geo_pulled');
    expect(before).to.deep.equal(await schemaDump(asUser(from), 'geo'));
    await execSql(asUser(to), "comment on column geo_pulled.station.location is 'Changed.'");
    const db = connect(asUser(to));
    try {
      expect(await readSnapshot(db, 'geo_pulled')).not.to.deep.equal(result!.original);
    } finally {
      await db.destroy();
    }
    expect(await schemaDump(asUser(to), 'geo_pulled')).not.to.deep.equal(before);
  });

  it('writes a file that type-checks against the package', () => {
    expect(result, 'the round trip ran').not.to.equal(undefined);
    expect(typeErrors(result!.dir)).to.deep.equal([]);
  });
});

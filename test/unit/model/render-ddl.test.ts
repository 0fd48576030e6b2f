import { expect } from 'chai';
import { sql } from 'kysely';
import {
  DDL_PHASES,
  compileSql,
  defineModel,
  enumColumn,
  enumType,
  grant,
  integer,
  materializedView,
  pgFunction,
  renderModelDdl,
  sequence,
  serial,
  table,
  text,
  timestamp,
  trigger,
  view,
} from '../../../src/model';
import { ConfigError } from '../../../src/errors';

const kind = enumType('kind', ['a', 'b']);
const network = table('network', {
  id: serial().primaryKey(),
  name: text().notNull().unique(),
  kind: enumColumn(kind).defaultTo(sql`'a'`),
  mod_time: timestamp().notNull().defaultTo(sql`now()`),
});
const station = table('station', {
  id: integer().generatedAlwaysAsIdentity().primaryKey(),
  network_id: integer().references('network', 'id', { onDelete: 'cascade' }),
  code: text().defaultTo((s) => sql`${s.literal} || nextval(${s.regclass('code_seq')})::text`),
  end: timestamp().check(sql`"end" > '2000-01-01'`),
})
  .index('station_partial_idx', ['network_id', { column: 'end', order: 'desc', nulls: 'last' }], { where: sql`"end" is null`, include: ['code'] })
  .index('station_expr_idx', [{ expression: sql`lower(code)` }], { unique: true });
const touch = pgFunction('touch', {
  returns: 'trigger',
  language: 'plpgsql',
  body: sql`begin new.mod_time := now(); return new; end;`,
});
const cfn = pgFunction('c_touch', { returns: 'trigger', language: 'c', privileged: true, body: { file: '$libdir/moddatetime', symbol: 'moddatetime' } });
const countStations = pgFunction('count_stations', {
  args: [{ name: 'n', type: 'integer' }],
  returns: 'bigint',
  language: 'sql',
  volatility: 'stable',
  body: (s) => sql`select count(*) from ${s('station')} where network_id = n and $body$ is not null`,
});
const v1 = view('v1', { body: (s) => sql`select * from ${s('m1')}`, dependsOn: ['m1'] });
const m1 = materializedView('m1', { body: (s) => sql`select id from ${s('network')}`, columns: { id: integer() } }).index('m1_idx', ['id'], { unique: true });

const model = defineModel({
  enums: [kind],
  sequences: [sequence('code_seq', { as: 'bigint', start: 10, ownedBy: { table: 'station', column: 'code' } })],
  tables: [network, station],
  functions: [touch, cfn, countStations],
  views: [v1],
  materializedViews: [m1],
  triggers: [
    trigger('network_touch', { table: 'network', timing: 'before', events: ['update'], updateOf: ['name'], forEach: 'row', function: 'touch' }),
    trigger('network_c_touch', { table: 'network', timing: 'before', events: ['update'], forEach: 'row', function: 'c_touch', args: ['mod_time'] }),
  ],
  grants: [
    grant({ privileges: ['select'], on: { table: 'v1' }, to: 'public' }),
    grant({ privileges: ['execute'], on: { function: 'c_touch' }, to: 'some role' }),
  ],
});

describe('model/renderModelDdl', () => {
  const statements = renderModelDdl(model, 'Target "S"');
  const find = (object: string) => {
    const found = statements.find((s) => s.object === object);
    if (!found) throw new Error(`no statement for ${object}`);
    return found;
  };

  it('emits the phases in dependency order', () => {
    const phases = statements.map((s) => DDL_PHASES.indexOf(s.phase));
    expect(phases).to.deep.equal([...phases].sort((a, b) => a - b));
    expect(statements.map((s) => s.object).slice(0, 4)).to.deep.equal(['enum kind', 'sequence code_seq', 'table network', 'table station']);
  });

  it('quotes every identifier and qualifies every object with the schema given at render time', () => {
    expect(find('table network').sql).to.equal(
      'create table "Target ""S"""."network" ("id" serial not null, "name" text not null, "kind" "Target ""S"""."kind" default \'a\', ' +
        '"mod_time" timestamp without time zone default now() not null, constraint "network_pkey" primary key ("id"), constraint "network_name_key" unique ("name"))',
    );
    expect(find('table station').sql).to.contain('"code" text default \'Target "S"\' || nextval(\'"Target ""S"""."code_seq"\'::regclass)::text');
    expect(find('table station').sql).to.contain('"id" integer generated always as identity not null');
    expect(find('table station').sql).to.contain('constraint "station_end_check" check ("end" > \'2000-01-01\')');
  });

  it('adds foreign keys and sequence ownership after all tables', () => {
    expect(find('foreign key station_network_id_fkey')).to.include({
      phase: 'constraints',
      sql: 'alter table "Target ""S"""."station" add constraint "station_network_id_fkey" foreign key ("network_id") references "Target ""S"""."network" ("id") on delete cascade',
    });
    const owned = statements.filter((s) => s.object === 'sequence code_seq').map((s) => s.sql);
    expect(owned).to.deep.equal([
      'create sequence "Target ""S"""."code_seq" as bigint start with 10',
      'alter sequence "Target ""S"""."code_seq" owned by "Target ""S"""."station"."code"',
    ]);
  });

  it('renders partial, covering, ordered and expression indexes, on tables and materialized views', () => {
    expect(find('index station_partial_idx').sql).to.equal(
      'create index "station_partial_idx" on "Target ""S"""."station" using btree ("network_id", "end" desc nulls last) include ("code") where ("end" is null)',
    );
    expect(find('index station_expr_idx').sql).to.equal('create unique index "station_expr_idx" on "Target ""S"""."station" using btree ((lower(code)))');
    expect(find('index m1_idx').sql).to.equal('create unique index "m1_idx" on "Target ""S"""."m1" using btree ("id")');
  });

  it('creates a view after the materialized view it depends on', () => {
    const order = statements.filter((s) => s.phase === 'views').map((s) => s.object);
    expect(order).to.deep.equal(['materialized view m1', 'view v1']);
  });

  it('flags privileged functions, and the comments and grants on them, for the superuser role', () => {
    expect(statements.filter((s) => s.superuser).map((s) => s.object)).to.deep.equal(['function c_touch', 'grant on function c_touch']);
    expect(find('function c_touch').sql).to.equal(
      'create function "Target ""S"""."c_touch"() returns trigger language c volatile as \'$libdir/moddatetime\', \'moddatetime\'',
    );
    expect(find('grant on function c_touch').sql).to.equal('grant execute on function "Target ""S"""."c_touch"() to "some role"');
    expect(find('grant on v1').sql).to.equal('grant select on table "Target ""S"""."v1" to public');
  });

  it('dollar-quotes function bodies with a tag the body does not contain', () => {
    expect(find('function count_stations').sql).to.equal(
      'create function "Target ""S"""."count_stations"("n" integer) returns bigint language sql stable as ' +
        '$body1$select count(*) from "Target ""S"""."station" where network_id = n and $body$ is not null$body1$',
    );
  });

  it('renders triggers with UPDATE OF columns and string arguments', () => {
    expect(find('trigger network_touch').sql).to.equal(
      'create trigger "network_touch" before update of "name" on "Target ""S"""."network" for each row execute function "Target ""S"""."touch"()',
    );
    expect(find('trigger network_c_touch').sql).to.contain('execute function "Target ""S"""."c_touch"(\'mod_time\')');
  });

  it('gives the same DDL for two schemas but for the schema name', () => {
    const a = renderModelDdl(model, 'schema_a').map((s) => s.sql);
    const b = renderModelDdl(model, 'schema_b').map((s) => s.sql.split('schema_b').join('schema_a'));
    expect(b).to.deep.equal(a);
    expect(a.join('\n')).not.to.contain('schema_b');
  });

  it('refuses a value interpolated as a bind parameter', () => {
    const bad = view('bad', { body: (s) => sql`select * from ${s('network')} where name = ${'x'}` });
    const withBad = defineModel({ tables: [network], views: [bad], enums: [kind] });
    expect(() => renderModelDdl(withBad, 's')).to.throw(ConfigError, /view bad interpolates a value as a bind parameter/);
    expect(compileSql(sql`select ${sql.lit("it's")}`, 'x')).to.equal("select 'it''s'");
  });

  it('refuses views that depend on each other in a cycle', () => {
    const a = view('a', { body: sql`select 1`, dependsOn: ['b'] });
    const b = view('b', { body: sql`select 1`, dependsOn: ['a'] });
    const cyclic = defineModel({ tables: [], views: [a, b] });
    expect(() => renderModelDdl(cyclic, 's')).to.throw(ConfigError, /cycle: a -> b -> a/);
  });
});

import { expect } from 'chai';
import { sql } from 'kysely';
import {
  compileSql,
  defineModel,
  enumColumn,
  enumType,
  grant,
  integer,
  materializedView,
  modelOperations,
  modelStatements,
  pgFunction,
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
  mod_time: timestamp()
    .notNull()
    .defaultTo(sql`now()`),
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

describe('model/modelStatements', () => {
  const statements = modelStatements(model, 'Target "S"');
  const sqlOf = (object: string) => statements.filter((s) => s.object === object).map((s) => s.sql);
  const position = (object: string) => statements.findIndex((s) => s.object === object);

  it('builds through the diff of an empty schema and the model: the statements are those of the operations', () => {
    expect(modelOperations(model).map((op) => op.kind)).to.include.members([
      'createEnum',
      'createSequence',
      'createTable',
      'addConstraint',
      'createRoutine',
      'createView',
      'createTrigger',
    ]);
    expect(statements.length).to.be.greaterThan(modelOperations(model).length);
  });

  it('quotes every identifier and qualifies every object with the schema given at render time', () => {
    const [create] = sqlOf('table network');
    expect(create).to.equal(
      'CREATE TABLE "Target ""S"""."network" (\n' +
        '    "id" integer NOT NULL DEFAULT nextval(\'"Target ""S"""."network_id_seq"\'::regclass),\n' +
        '    "name" text NOT NULL,\n' +
        '    "kind" "Target ""S"""."kind" DEFAULT \'a\',\n' +
        '    "mod_time" timestamp without time zone NOT NULL DEFAULT now(),\n' +
        '    CONSTRAINT "network_pkey" PRIMARY KEY ("id"),\n' +
        '    CONSTRAINT "network_name_key" UNIQUE ("name")\n)',
    );
    const station = sqlOf('table station').join('\n');
    expect(station).to.contain('"code" text DEFAULT \'Target "S"\' || nextval(\'"Target ""S"""."code_seq"\'::regclass)::text');
    expect(station).to.contain('"id" integer GENERATED ALWAYS AS IDENTITY NOT NULL');
    expect(station).to.contain('CONSTRAINT "station_end_check" CHECK ("end" > \'2000-01-01\')');
  });

  it('makes a serial column an integer with a sequence of its own, owned by the column once the table exists', () => {
    expect(sqlOf('sequence network_id_seq')).to.deep.equal([
      'CREATE SEQUENCE "Target ""S"""."network_id_seq" AS integer',
      'ALTER SEQUENCE "Target ""S"""."network_id_seq" OWNED BY "Target ""S"""."network"."id"',
    ]);
    expect(position('sequence network_id_seq')).to.be.lessThan(position('table network'));
    expect(statements.map((s) => s.sql).lastIndexOf(sqlOf('sequence network_id_seq')[1]!)).to.be.greaterThan(position('table network'));
    expect(sqlOf('sequence code_seq')[0]).to.equal('CREATE SEQUENCE "Target ""S"""."code_seq" START WITH 10');
  });

  it('adds foreign keys between tables after both tables', () => {
    expect(sqlOf('foreign key station_network_id_fkey')).to.deep.equal([
      'ALTER TABLE "Target ""S"""."station" ADD CONSTRAINT "station_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "Target ""S"""."network"("id") ON DELETE CASCADE',
    ]);
    expect(position('foreign key station_network_id_fkey')).to.be.greaterThan(position('table station'));
    expect(position('foreign key station_network_id_fkey')).to.be.greaterThan(position('table network'));
  });

  it('renders partial, covering, ordered and expression indexes, on tables and materialized views', () => {
    const all = statements.map((s) => s.sql);
    expect(all).to.include(
      'CREATE INDEX "station_partial_idx" ON "Target ""S"""."station" USING btree ("network_id", "end" DESC NULLS LAST) INCLUDE ("code") WHERE ("end" is null)',
    );
    expect(all).to.include('CREATE UNIQUE INDEX "station_expr_idx" ON "Target ""S"""."station" USING btree ((lower(code)))');
    expect(all).to.include('CREATE UNIQUE INDEX "m1_idx" ON "Target ""S"""."m1" USING btree ("id")');
  });

  it('creates a view after the materialized view it depends on, and triggers after their functions', () => {
    expect(position('materialized view m1')).to.be.lessThan(position('view v1'));
    expect(position('function touch')).to.be.lessThan(position('trigger network_touch'));
    expect(position('function c_touch')).to.be.lessThan(position('trigger network_c_touch'));
  });

  it('runs privileged functions, with their comments and grants, as the SU role', () => {
    expect(statements.filter((s) => s.privileged).map((s) => s.sql)).to.deep.equal([
      'CREATE OR REPLACE FUNCTION "Target ""S"""."c_touch"()\n RETURNS trigger\n LANGUAGE c\nAS \'$libdir/moddatetime\', \'moddatetime\'',
      'GRANT EXECUTE ON FUNCTION "Target ""S"""."c_touch"() TO "some role"',
    ]);
    expect(sqlOf('view v1')).to.include('GRANT SELECT ON TABLE "Target ""S"""."v1" TO PUBLIC');
  });

  it('dollar-quotes function bodies with a tag the body does not contain', () => {
    expect(sqlOf('function count_stations')).to.deep.equal([
      'CREATE OR REPLACE FUNCTION "Target ""S"""."count_stations"("n" integer)\n RETURNS bigint\n LANGUAGE sql\n STABLE\n' +
        'AS $body1$select count(*) from "Target ""S"""."station" where network_id = n and $body$ is not null$body1$',
    ]);
  });

  it('renders triggers with UPDATE OF columns and string arguments', () => {
    expect(sqlOf('trigger network_touch')).to.deep.equal([
      'CREATE TRIGGER "network_touch" BEFORE UPDATE OF "name" ON "Target ""S"""."network" FOR EACH ROW EXECUTE FUNCTION "Target ""S"""."touch"()',
    ]);
    expect(sqlOf('trigger network_c_touch')[0]).to.contain('EXECUTE FUNCTION "Target ""S"""."c_touch"(\'mod_time\')');
  });

  it('gives the same statements for two schemas but for the schema name', () => {
    const a = modelStatements(model, 'schema_a').map((s) => s.sql);
    const b = modelStatements(model, 'schema_b').map((s) => s.sql.split('schema_b').join('schema_a'));
    expect(b).to.deep.equal(a);
    expect(a.join('\n')).not.to.contain('schema_b');
  });

  it('refuses a value interpolated as a bind parameter', () => {
    const bad = view('bad', { body: (s) => sql`select * from ${s('network')} where name = ${'x'}` });
    const withBad = defineModel({ tables: [network], views: [bad], enums: [kind] });
    expect(() => modelStatements(withBad, 's')).to.throw(ConfigError, /view bad interpolates a value as a bind parameter/);
    expect(compileSql(sql`select ${sql.lit("it's")}`, 'x')).to.equal("select 'it''s'");
  });
});

import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import {
  bigint,
  collation,
  column,
  completeModel,
  defineModel,
  domain,
  domainColumn,
  enumColumn,
  enumType,
  extension,
  grant,
  integer,
  materializedView,
  modelOperations,
  modelStatements,
  modelToSnapshot,
  pgFunction,
  policy,
  procedure,
  revoke,
  sequence,
  serial,
  sql,
  table,
  text,
  timestamptz,
  trigger,
  view,
} from '../../../src/model';
import { objectKey } from '../../../src/schema/object-key';
import { OWN_SCHEMA_ID as ID, OWN_SCHEMA_LITERAL as LIT } from '../../../src/schema/own-schema';
import { defaultGrants, READER_ROLE } from '../../../src/schema/snapshot';

const kind = enumType('kind', ['a', 'b'], { comment: 'Kinds.', owner: 'app_owner' });
const depth = domain<number>('depth', 'double precision', { default: sql`0`, checks: [{ name: 'depth_positive', expression: sql`VALUE >= 0` }] });
const parent = table('parent', {
  id: serial().primaryKey(),
  code: text().collate('C').notNull(),
  created: timestamptz()
    .notNull()
    .defaultTo(sql`now()`),
});
const child = table('child', { extra: integer() })
  .inherits(parent)
  .check('child_extra_check', sql`extra > 0`, { noInherit: true, notValid: true });
const station = table('station', {
  id: integer().generatedByDefaultAsIdentity({ start: 10, increment: 5, sequenceName: 'station_ids' }),
  parent_id: integer().references('parent', 'id', { onDelete: 'set null', deferrable: true, match: 'full', notValid: true }),
  other_id: integer().references({ schema: 'public', table: 'things' }, 'id'),
  kinds: enumColumn(kind)
    .array()
    .defaultTo(sql`'{a}'`),
  depth: domainColumn(depth),
  shape: column<unknown>('public.geometry(Point,4326)'),
  doubled: bigint().generatedAlwaysAs(sql`id * 2`),
  tags: text().array().comment('Free tags.'),
})
  .primaryKey(['id'], 'station_pk', { include: ['kinds'], deferrable: true })
  .unique(['parent_id', 'other_id'], undefined, { nullsNotDistinct: true })
  .exclude('station_no_overlap', [{ column: 'shape', with: '&&' }], { where: sql`depth > 0` })
  .constraint('station_raw', sql`CHECK (depth < 11000)`, { comment: 'Deeper than the sea.' })
  .index('station_shape_idx', ['shape'], { using: 'gist', comment: 'Nearest.' })
  .index('station_lower_idx', [{ expression: sql`lower(tags[1])`, opclass: 'text_pattern_ops', order: 'desc', nulls: 'last', collate: 'C' }], {
    include: ['id'],
    where: sql`id > 0`,
    with: ['fillfactor=70'],
  })
  .options(['fillfactor=80'])
  .enableRowLevelSecurity({ force: true })
  .owner('app_owner')
  .comment('Stations.');
const reading = table('reading', { station_id: integer().notNull(), taken: integer().notNull() })
  .partitionBy('range', ['taken', sql`(station_id + 1)`])
  .unlogged();
const reading1 = reading.partition('reading_1', sql`FOR VALUES FROM (0, 0) TO (10, 10)`);
const seq = sequence('batch_seq', { as: 'integer', start: 100, increment: -1, ownedBy: { table: 'station', column: 'id' } });
const names = view('names', {
  body: (s) => sql`select code from ${s('parent')} join ${s('counts')} using (id)`,
  dependsOn: ['counts'],
  options: ['security_barrier=true'],
  columns: { code: text().comment('The code.') },
});
const counts = materializedView('counts', {
  columns: { id: integer(), n: bigint() },
  body: (s) => sql`select id, count(*) as n from ${s('station')} group by id`,
}).index('counts_idx', ['id'], { unique: true });
const touch = pgFunction('touch', {
  returns: 'trigger',
  language: 'plpgsql',
  set: { search_path: (s) => sql`${s.id}, public`, work_mem: '64MB' },
  body: sql`begin return new; end`,
});
const total = pgFunction('total', {
  args: [
    { name: 'k', type: (s) => sql`${s('kind')}` },
    { name: 'n', type: 'integer', mode: 'inout', default: sql`1` },
    { name: 'r', type: 'text', mode: 'out' },
  ],
  returns: 'record',
  language: 'sql',
  volatility: 'stable',
  strict: true,
  leakproof: true,
  parallel: 'safe',
  cost: 5,
  body: { atomic: (s) => sql`BEGIN ATOMIC SELECT n, ${s.literal}::text; END` },
  dependsOn: ['kind'],
});
const py = pgFunction('py', { returns: 'text', language: 'plpython3u', privileged: true, owner: 'su', body: (s) => sql`return ${s.literal}` });
const purge = procedure('purge', {
  args: [{ name: 'before', type: 'integer' }],
  language: 'sql',
  body: (s) => sql`delete from ${s('station')} where id < before`,
});

const model = defineModel({
  extensions: [extension('postgis', { schema: 'public' }), extension('hstore', { version: '1.8' })],
  collations: [collation('numeric', { provider: 'icu', locale: 'en-u-kn-true', deterministic: false, comment: 'Numbers.' })],
  enums: [kind],
  domains: [depth],
  sequences: [seq],
  tables: [parent, child, station, reading, reading1],
  views: [names],
  materializedViews: [counts],
  functions: [touch, total, py, purge],
  triggers: [
    trigger('station_touch', {
      table: 'station',
      timing: 'before',
      events: ['update', 'insert'],
      updateOf: ['depth', 'shape'],
      forEach: 'row',
      when: sql`old.depth IS DISTINCT FROM new.depth`,
      function: 'touch',
      args: ["it's"],
      enabled: 'replica',
      comment: 'Touch.',
    }),
    trigger('station_check', {
      table: 'station',
      timing: 'after',
      events: ['delete'],
      forEach: 'row',
      function: { schema: 'audit', name: 'log' },
      constraint: { initiallyDeferred: true, from: 'parent' },
    }),
  ],
  policies: [policy('station_mine', { table: 'station', as: 'restrictive', for: 'select', to: ['reader'], using: sql`id > 0`, comment: 'Mine.' })],
  grants: [
    grant({ privileges: ['select', 'update'], on: { table: 'station', columns: ['depth', 'shape'] }, to: 'reader', withGrantOption: true }),
    grant({ privileges: ['select'], on: { table: 'names' }, to: 'public' }),
    revoke({ privileges: ['execute'], on: { function: 'py' }, from: 'PUBLIC' }),
    grant({ privileges: ['usage'], on: { type: 'kind' }, to: 'reader' }),
    grant({ privileges: ['usage'], on: { sequence: 'batch_seq' }, to: 'reader' }),
    grant({ privileges: ['execute'], on: { function: 'touch' }, to: 'session_user' }),
  ],
});

describe('model/modelToSnapshot', () => {
  const snapshot = modelToSnapshot(model);
  const tableOf = (name: string) => snapshot.tables.find((t) => t.name === name)!;
  const station = tableOf('station');
  const columnOf = (name: string) => station.columns.find((c) => c.name === name)!;
  const constraint = (name: string) => station.constraints.find((c) => c.name === name)!;

  it('writes types as given, the model own ones qualified with the own-schema sentinel', () => {
    expect(station.columns.map((c) => [c.name, c.type])).to.deep.equal([
      ['id', 'integer'],
      ['parent_id', 'integer'],
      ['other_id', 'integer'],
      ['kinds', `${ID}."kind"[]`],
      ['depth', `${ID}."depth"`],
      ['shape', 'public.geometry(Point,4326)'],
      ['doubled', 'bigint'],
      ['tags', 'text[]'],
    ]);
    expect(columnOf('kinds')).to.include({ enumType: true, default: "'{a}'" });
    expect(columnOf('doubled')).to.include({ generated: 'id * 2', default: null });
    expect(columnOf('tags').comment).to.equal('Free tags.');
    expect(tableOf('parent').columns[1]).to.include({ collation: '"C"', notNull: true });
  });

  it('makes a serial an integer with a sequence of its own, and fills identity options with PostgreSQL defaults', () => {
    expect(tableOf('parent').columns[0]).to.include({ type: 'integer', notNull: true, default: `nextval('${ID}."parent_id_seq"'::regclass)` });
    expect(snapshot.sequences.find((s) => s.name === 'parent_id_seq')).to.deep.equal({
      name: 'parent_id_seq',
      dataType: 'integer',
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '2147483647',
      cache: '1',
      cycle: false,
      ownedBy: { table: 'parent', column: 'id' },
      comment: null,
      grants: defaultGrants,
      owner: null,
    });
    expect(columnOf('id').identity).to.deep.equal({
      generation: 'by default',
      sequenceName: 'station_ids',
      dataType: 'integer',
      start: '10',
      increment: '5',
      minValue: '1',
      maxValue: '2147483647',
      cache: '1',
      cycle: false,
    });
    expect(snapshot.sequences.find((s) => s.name === 'batch_seq')).to.include({
      dataType: 'integer',
      start: '100',
      increment: '-1',
      minValue: '-2147483648',
      maxValue: '-1',
    });
  });

  it('spells constraints with their options, and references of the model through the sentinel', () => {
    expect(constraint('station_pk').definition).to.equal('PRIMARY KEY ("id") INCLUDE ("kinds") DEFERRABLE');
    expect(constraint('station_parent_id_fkey')).to.include({
      kind: 'foreign key',
      definition: `FOREIGN KEY ("parent_id") REFERENCES ${ID}."parent"("id") MATCH FULL ON DELETE SET NULL DEFERRABLE NOT VALID`,
      generatedName: true,
    });
    expect(constraint('station_parent_id_fkey').references).to.deep.equal({ schema: null, name: 'parent' });
    expect(constraint('station_other_id_fkey').definition).to.equal('FOREIGN KEY ("other_id") REFERENCES "public"."things"("id")');
    expect(constraint('station_parent_id_other_id_key').definition).to.equal('UNIQUE NULLS NOT DISTINCT ("parent_id", "other_id")');
    expect(constraint('station_no_overlap')).to.include({ kind: 'exclude', definition: 'EXCLUDE USING gist ("shape" WITH &&) WHERE (depth > 0)' });
    expect(constraint('station_raw')).to.include({ kind: 'check', definition: 'CHECK (depth < 11000)', comment: 'Deeper than the sea.' });
    expect(tableOf('child').constraints).to.deep.include({
      name: 'child_extra_check',
      kind: 'check',
      definition: 'CHECK (extra > 0) NO INHERIT NOT VALID',
      columns: [],
      references: null,
      generatedName: false,
      attachedTo: null,
      comment: null,
    });
  });

  it('writes index definitions as after USING, and table options, row security and owner', () => {
    expect(station.indexes.map((i) => [i.name, i.definition])).to.deep.equal([
      ['station_shape_idx', 'gist ("shape")'],
      ['station_lower_idx', 'btree ((lower(tags[1])) COLLATE "C" text_pattern_ops DESC NULLS LAST) INCLUDE ("id") WITH (fillfactor=70) WHERE (id > 0)'],
    ]);
    expect(station).to.include({ rowSecurity: true, forceRowSecurity: true, owner: 'app_owner', comment: 'Stations.' });
    expect(station.options).to.deep.equal(['fillfactor=80']);
    expect(tableOf('reading')).to.include({ partitionKey: 'RANGE ("taken", (station_id + 1))', persistence: 'unlogged' });
  });

  it('gives partitions and children the columns of their parent, as inherited', () => {
    expect(tableOf('reading_1').partitionOf).to.deep.equal({ parent: { schema: null, name: 'reading' }, bound: 'FOR VALUES FROM (0, 0) TO (10, 10)' });
    expect(tableOf('reading_1').columns.map((c) => [c.name, c.inherited, c.local, c.notNull])).to.deep.equal([
      ['station_id', true, false, true],
      ['taken', true, false, true],
    ]);
    const child = tableOf('child');
    expect(child.inherits).to.deep.equal([{ schema: null, name: 'parent' }]);
    expect(child.columns.map((c) => [c.name, c.type, c.inherited, c.local])).to.deep.equal([
      ['id', 'integer', true, false],
      ['code', 'text', true, false],
      ['created', 'timestamp with time zone', true, false],
      ['extra', 'integer', false, true],
    ]);
    expect(child.columns[0]!.default).to.equal(`nextval('${ID}."parent_id_seq"'::regclass)`);
    expect(snapshot.sequences.map((s) => s.name)).not.to.include('child_id_seq');
  });

  it('writes routines as pg_get_functiondef lays them out, with the schema as sentinels', () => {
    const [touchR, totalR, pyR, purgeR] = snapshot.routines;
    expect(touchR!.definition).to.equal(
      `()\n RETURNS trigger\n LANGUAGE plpgsql\n SET search_path TO ${ID}, public\n SET work_mem TO '64MB'\nAS $body$begin return new; end$body$\n`,
    );
    expect(totalR).to.include({
      arguments: `"k" ${ID}."kind", INOUT "n" integer DEFAULT 1, OUT "r" text`,
      identityArguments: `"k" ${ID}."kind", INOUT "n" integer, OUT "r" text`,
      argumentTypes: `${ID}."kind", integer`,
      result: 'record',
      volatility: 'stable',
      strict: true,
    });
    expect(totalR!.definition).to.contain(` STABLE PARALLEL SAFE STRICT LEAKPROOF COST 5\nBEGIN ATOMIC SELECT n, ${LIT}::text; END\n`);
    expect(pyR).to.include({ privileged: true, owner: 'su', language: 'plpython3u' });
    expect(pyR!.grants).to.deep.equal({ granted: [], revoked: [{ grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false }] });
    expect(purgeR).to.include({ kind: 'procedure', result: null, identityArguments: 'IN "before" integer' });
    expect(purgeR!.definition).to.equal(`(IN "before" integer)\n LANGUAGE sql\nAS $body$delete from ${ID}."station" where id < before$body$\n`);
  });

  it('writes triggers as pg_get_triggerdef splits them', () => {
    expect(snapshot.triggers).to.deep.equal([
      {
        name: 'station_touch',
        table: 'station',
        constraint: false,
        events: 'BEFORE INSERT OR UPDATE OF "depth", "shape"',
        body: `FOR EACH ROW WHEN (old.depth IS DISTINCT FROM new.depth) EXECUTE FUNCTION ${ID}."touch"('it''s')`,
        enabled: 'R',
        comment: 'Touch.',
      },
      {
        name: 'station_check',
        table: 'station',
        constraint: true,
        events: 'AFTER DELETE',
        body: `FROM ${ID}."parent" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "audit"."log"()`,
        enabled: 'O',
        comment: null,
      },
    ]);
  });

  it('puts grants and revokes on the objects they name, columns included', () => {
    const reader = (privilege: string) => ({ grantee: 'reader', privilege, grantable: true });
    expect(columnOf('depth').grants).to.deep.equal({ granted: [reader('SELECT'), reader('UPDATE')], revoked: [] });
    expect(columnOf('tags').grants).to.deep.equal(defaultGrants);
    expect(snapshot.views.find((v) => v.name === 'names')!.grants.granted).to.deep.equal([{ grantee: 'PUBLIC', privilege: 'SELECT', grantable: false }]);
    expect(snapshot.enums[0]!.grants.granted).to.deep.equal([{ grantee: 'reader', privilege: 'USAGE', grantable: false }]);
    expect(snapshot.sequences.find((s) => s.name === 'batch_seq')!.grants.granted).to.have.length(1);
    // the role that builds the model, whoever it is: the snapshot's reader
    expect(snapshot.routines[0]!.grants.granted).to.deep.equal([{ grantee: READER_ROLE, privilege: 'EXECUTE', grantable: false }]);
    expect(modelStatements(model, 's').map((x) => x.sql)).to.include('GRANT EXECUTE ON FUNCTION "s"."touch"() TO SESSION_USER');
  });

  it('writes the other objects: extensions (privileged by default for superuser-only ones), collations, enums, domains, views, policies', () => {
    expect(snapshot.extensions).to.deep.equal([
      { name: 'postgis', version: '', schema: 'public', privileged: true },
      { name: 'hstore', version: '1.8', schema: null, privileged: false },
    ]);
    expect(snapshot.collations).to.deep.equal([
      { name: 'numeric', provider: 'icu', lcCollate: null, lcCtype: null, locale: 'en-u-kn-true', deterministic: false, comment: 'Numbers.' },
    ]);
    expect(snapshot.enums[0]).to.include({ owner: 'app_owner', comment: 'Kinds.' });
    expect(snapshot.domains[0]).to.deep.include({ default: '0', constraints: [{ name: 'depth_positive', definition: 'CHECK (VALUE >= 0)' }] });
    const names = snapshot.views.find((v) => v.name === 'names')!;
    expect(names).to.deep.include({ definition: `select code from ${ID}."parent" join ${ID}."counts" using (id)`, options: ['security_barrier=true'] });
    expect(names.columns).to.deep.equal([{ name: 'code', type: 'text', collation: null, comment: 'The code.' }]);
    expect(snapshot.policies).to.deep.equal([
      { name: 'station_mine', table: 'station', permissive: false, command: 'SELECT', roles: ['reader'], using: 'id > 0', withCheck: null, comment: 'Mine.' },
    ]);
  });

  it('records the dependencies the diff orders by', () => {
    const deps = snapshot.dependencies.map((d) => `${d.object} -> ${d.dependsOn}`);
    expect(deps).to.include.members([
      `${objectKey.view('names')} -> ${objectKey.view('counts')}`,
      `${objectKey.view('names')} -> ${objectKey.table('parent')}`,
      `${objectKey.view('counts')} -> ${objectKey.table('station')}`,
      `${objectKey.trigger('station', 'station_touch')} -> ${objectKey.routine('touch', '')}`,
      `${objectKey.constraint('station', 'station_parent_id_fkey')} -> ${objectKey.table('parent')}`,
      `${objectKey.column('station', 'kinds')} -> ${objectKey.type('kind')}`,
      `${objectKey.column('station', 'depth')} -> ${objectKey.type('depth')}`,
      `${objectKey.routine('total', `${ID}."kind", integer`)} -> ${objectKey.type('kind')}`,
      `${objectKey.columnDefault('child', 'id')} -> ${objectKey.sequence('parent_id_seq')}`,
    ]);
    // a body kept as text is not parsed at creation: what it reads need not exist yet
    expect(deps.filter((d) => d.startsWith(objectKey.routine('purge', 'integer')))).to.deep.equal([]);
  });

  it('orders what it builds by those dependencies and the phases', () => {
    const order: string[] = modelOperations(model).map((op) => op.kind);
    const first = (kind: string) => order.indexOf(kind);
    expect(first('createExtension')).to.equal(0);
    expect(first('createEnum')).to.be.lessThan(first('createTable'));
    const views = modelOperations(model)
      .filter((op) => op.kind === 'createView')
      .map((op) => (op.kind === 'createView' ? op.view.name : ''));
    expect(views).to.deep.equal(['counts', 'names']);
  });

  it('sets the owner a model names, right after creating the object', () => {
    const all = modelStatements(model, 's').map((x) => x.sql);
    const at = all.indexOf('CREATE TYPE "s"."kind" AS ENUM (\'a\', \'b\')');
    expect(all[at + 1]).to.equal('ALTER TYPE "s"."kind" OWNER TO "app_owner"');
    expect(all).to.include('ALTER TABLE "s"."station" OWNER TO "app_owner"');
    expect(all).to.include('ALTER FUNCTION "s"."py"() OWNER TO "su"');
  });

  it('refuses expressions that take bind parameters and models that reference what they lack', () => {
    const bad = completeModel({ tables: [table('t', { a: integer().defaultTo(sql`${1}`) })] });
    expect(() => modelToSnapshot(bad))
      .to.throw(ConfigError, /default of column t.a interpolates a value as a bind parameter/)
      .with.property('code', 'MODEL_SQL_PARAMETER');
    const orphan = completeModel({ tables: [table('t', { a: integer() }).partition('t1', sql`DEFAULT`)] });
    expect(() => modelToSnapshot(orphan))
      .to.throw(ConfigError, /t1 is a partition of t, which the model does not define/)
      .with.property('code', 'INVALID_MODEL');
  });
});

import { expect } from 'chai';
import { RetortError } from '../../../src/errors';
import { readConstraint, readIndex, readPartitionKey } from '../../../src/pull/parse-constraint';
import { formatG, readRoutine } from '../../../src/pull/parse-routine';
import { readTrigger } from '../../../src/pull/parse-trigger';
import { PACKAGE_NAME } from '../../../src/package-info';
import { renderModelSource } from '../../../src/pull/render-model-source';
import { implicitArrayCasts, sqlTemplate, unwrap } from '../../../src/pull/typescript-text';
import { objectKey } from '../../../src/schema/object-key';
import { OWN_SCHEMA_ID as ID, OWN_SCHEMA_LITERAL as LIT } from '../../../src/schema/own-schema';
import { emptySnapshot, READER_ROLE, type Snapshot } from '../../../src/schema/snapshot';
import { col, constraint, enumType, index, policy, routine, sequence, table, trigger, view } from '../diff/snapshot-literals';

describe('pull/readers of PostgreSQL definitions', () => {
  it('reads constraints into the DSL parts, and leaves what it cannot print back the same to SQL', () => {
    expect(readConstraint('PRIMARY KEY (a) INCLUDE (bb) DEFERRABLE')).to.deep.equal({
      kind: 'primary key',
      columns: ['a'],
      include: ['bb'],
      deferrable: true,
      initiallyDeferred: false,
    });
    expect(readConstraint('UNIQUE NULLS NOT DISTINCT ("Order", x)')).to.include({ kind: 'unique', nullsNotDistinct: true });
    expect(
      readConstraint('FOREIGN KEY (bb) REFERENCES b(bb) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (bb) DEFERRABLE INITIALLY DEFERRED NOT VALID'),
    ).to.deep.equal({
      kind: 'foreign key',
      columns: ['bb'],
      references: { table: 'b', columns: ['bb'] },
      match: 'full',
      onUpdate: 'CASCADE',
      onDelete: 'SET NULL',
      onDeleteColumns: ['bb'],
      deferrable: true,
      initiallyDeferred: true,
      notValid: true,
    });
    expect(readConstraint('FOREIGN KEY (a) REFERENCES public.things(id)')).to.deep.include({
      references: { schema: 'public', table: 'things', columns: ['id'] },
    });
    expect(readConstraint('CHECK ((a > 0)) NO INHERIT NOT VALID')).to.deep.equal({ kind: 'check', expression: '(a > 0)', noInherit: true, notValid: true });
    expect(readConstraint('EXCLUDE USING gist (box(point((x)::double precision, (y)::double precision), point(0, 0)) WITH &&) WHERE ((y > 0))')).to.deep.equal({
      kind: 'exclude',
      using: 'gist',
      elements: [{ expression: 'box(point((x)::double precision, (y)::double precision), point(0, 0))', with: '&&' }],
      include: [],
      where: '(y > 0)',
      deferrable: false,
      initiallyDeferred: false,
    });
    expect(readConstraint("EXCLUDE USING gist (b WITH &&) INCLUDE (a) WITH (fillfactor='70') DEFERRABLE")).to.equal(undefined);
    expect(readConstraint('UNIQUE (a) USING INDEX TABLESPACE fast')).to.equal(undefined);
  });

  it('reads index definitions: expressions, collations, operator classes, order, include, options, predicate', () => {
    const text =
      'btree (lower((a)::text) text_pattern_ops DESC NULLS LAST, ((a + 1)), ((a)::text) COLLATE "C" NULLS FIRST) INCLUDE (bb) WITH (fillfactor=\'80\') WHERE (a > 0)';
    expect(readIndex(text)).to.deep.equal({
      using: 'btree',
      elements: [
        { expression: 'lower((a)::text)', opclass: 'text_pattern_ops', order: 'desc', nulls: 'last' },
        { expression: '(a + 1)', parenthesised: true },
        { expression: '(a)::text', parenthesised: true, collate: ['C'], nulls: 'first' },
      ],
      include: ['bb'],
      nullsNotDistinct: false,
      with: ["fillfactor='80'"],
      where: '(a > 0)',
    });
    expect(readIndex('gist (location public.gist_geometry_ops_nd)')!.elements).to.deep.equal([{ column: 'location', opclass: 'public.gist_geometry_ops_nd' }]);
    expect(readIndex('btree (a) NULLS NOT DISTINCT')).to.include({ nullsNotDistinct: true });
    expect(readIndex('btree (a) TABLESPACE fast')).to.equal(undefined);
  });

  it('reads partition keys into columns and expressions', () => {
    expect(readPartitionKey('RANGE (a, lower(b))')).to.deep.equal({ strategy: 'range', keys: [{ column: 'a' }, { expression: 'lower(b)' }] });
    expect(readPartitionKey('LIST ("Key" text_pattern_ops)')).to.deep.equal({ strategy: 'list', keys: [{ expression: '"Key" text_pattern_ops' }] });
    expect(readPartitionKey('HASH ("Key")')).to.deep.equal({ strategy: 'hash', keys: [{ column: 'Key' }] });
  });

  it('reads routines as pg_get_functiondef prints them: modes, defaults, options, SET, bodies', () => {
    const f = routine('f', '', {
      arguments: "a integer, OUT b integer, INOUT c text DEFAULT 'x'::text, VARIADIC d integer[] DEFAULT '{}'::integer[]",
      result: 'record',
      language: 'plpgsql',
      volatility: 'stable',
      strict: true,
      securityDefiner: true,
      definition:
        "(a integer, OUT b integer, INOUT c text DEFAULT 'x'::text, VARIADIC d integer[] DEFAULT '{}'::integer[])\n RETURNS record\n LANGUAGE plpgsql\n" +
        ` STABLE PARALLEL SAFE STRICT SECURITY DEFINER LEAKPROOF COST 5\n SET search_path TO ${ID}, 'public'\n SET work_mem TO '64MB'\nAS $function$ begin b := 1; end $function$\n`,
    });
    expect(readRoutine(f)).to.deep.equal({
      args: [
        { mode: 'in', name: 'a', type: 'integer' },
        { mode: 'out', name: 'b', type: 'integer' },
        { mode: 'inout', name: 'c', type: 'text', default: "'x'::text" },
        { mode: 'variadic', name: 'd', type: 'integer[]', default: "'{}'::integer[]" },
      ],
      window: false,
      parallel: 'safe',
      leakproof: true,
      cost: 5,
      set: [
        ['search_path', `${ID}, 'public'`],
        ['work_mem', "'64MB'"],
      ],
      body: { kind: 'source', text: ' begin b := 1; end ', tag: '$function$' },
    });
    const noName = routine('g', '', {
      arguments: 'timestamp without time zone, "My Type"',
      definition: '(timestamp without time zone, "My Type")\n RETURNS integer\n LANGUAGE sql\n ROWS 10\nRETURN ($1 + 1)\n',
    });
    expect(readRoutine(noName)).to.deep.include({
      args: [
        { mode: 'in', type: 'timestamp without time zone' },
        { mode: 'in', type: '"My Type"' },
      ],
      rows: 10,
      body: { kind: 'atomic', text: 'RETURN ($1 + 1)' },
    });
    const c = routine('c', '', {
      language: 'c',
      result: 'trigger',
      definition: "()\n RETURNS trigger\n LANGUAGE c\nAS '$libdir/moddatetime', $function$moddatetime$function$\n",
    });
    expect(readRoutine(c)!.body).to.deep.equal({ kind: 'library', file: '$libdir/moddatetime', symbol: 'moddatetime', tag: '$function$' });
    const p = routine('p', '', {
      kind: 'procedure',
      arguments: 'IN a integer, OUT b integer',
      result: null,
      language: 'plpgsql',
      definition: '(IN a integer, OUT b integer)\n LANGUAGE plpgsql\nAS $procedure$ begin b := a; end $procedure$\n',
    });
    expect(readRoutine(p)!.args).to.deep.equal([
      { mode: 'in', name: 'a', type: 'integer' },
      { mode: 'out', name: 'b', type: 'integer' },
    ]);
    expect(
      readRoutine(routine('t', '', { definition: '()\n RETURNS integer\n LANGUAGE sql\n TRANSFORM FOR TYPE hstore\nAS $function$select 1$function$\n' })),
    ).to.equal(undefined);
    expect([formatG(5), formatG(0.5), formatG(1000000), formatG(123456)]).to.deep.equal(['5', '0.5', '1e+06', '123456']);
  });

  it('reads triggers: events, constraint triggers, transition tables, conditions, arguments', () => {
    const ct = trigger('ct', 't2', {
      constraint: true,
      events: 'AFTER INSERT OR UPDATE OF a, bb',
      body: "FROM b DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.a > 0)) EXECUTE FUNCTION trg('x', 'y''z')",
    });
    expect(readTrigger(ct)).to.deep.equal({
      timing: 'after',
      events: ['insert', 'update'],
      updateOf: ['a', 'bb'],
      from: ['b'],
      deferrable: true,
      initiallyDeferred: true,
      forEach: 'row',
      when: '(new.a > 0)',
      function: ['trg'],
      args: ['x', "y'z"],
    });
    const tt = trigger('tt', 'b', {
      events: 'AFTER UPDATE',
      body: 'REFERENCING OLD TABLE AS oo NEW TABLE AS nn FOR EACH STATEMENT EXECUTE FUNCTION public.trg()',
    });
    expect(readTrigger(tt)).to.deep.include({ oldTable: 'oo', newTable: 'nn', forEach: 'statement', function: ['public', 'trg'] });
    expect(readTrigger(trigger('x', 'b', { events: 'BEFORE SELECT' }))).to.equal(undefined);
  });
});

describe('pull/sql templates', () => {
  it('escapes template text and names the own schema through s', () => {
    expect(sqlTemplate("select `a`, '\\n', ${x}")).to.equal("sql`select \\`a\\`, '\\\\n', \\${x}`");
    expect(sqlTemplate(`select * from ${ID}."t" join ${ID}.u on ${LIT} = 'x'`)).to.equal(
      "(s) => sql`select * from ${s('t')} join ${s.id}.u on ${s.literal} = 'x'`",
    );
    expect(unwrap('(a > 0)')).to.equal('a > 0');
    expect(unwrap('(a > 0) AND (b > 0)')).to.equal('(a > 0) AND (b > 0)');
    expect(implicitArrayCasts("((role)::text = ANY (ARRAY[('base'::character varying)::text, ('joint'::character varying)::text]))")).to.equal(
      "((role)::text = ANY (ARRAY['base'::character varying, 'joint'::character varying]))",
    );
  });
});

describe('pull/renderModelSource', () => {
  const snapshot: Snapshot = {
    ...emptySnapshot,
    enums: [enumType('status', ['new', "it's done"])],
    sequences: [
      sequence('item_id_seq', { ownedBy: { table: 'item', column: 'id' } }),
      sequence('batch', { dataType: 'bigint', maxValue: '9223372036854775807', start: '100' }),
    ],
    tables: [
      table(
        'item',
        [
          col('id', 'integer', { notNull: true, default: "nextval('item_id_seq'::regclass)" }),
          col('status', 'status', { enumType: true, default: "'new'::status" }),
          col('owner_id', 'integer'),
          col('price', 'numeric(10,2)', { comment: 'In cents.' }),
          col('shape', 'public.geometry(Point,4326)'),
        ],
        {
          constraints: [
            constraint('item_pkey', 'primary key', 'PRIMARY KEY (id)', ['id']),
            constraint('item_owner_id_fkey', 'foreign key', 'FOREIGN KEY (owner_id) REFERENCES item(id) ON DELETE CASCADE', ['owner_id'], {
              references: { schema: null, name: 'item' },
            }),
            constraint('item_price_check', 'check', 'CHECK ((price > (0)::numeric))', ['price']),
          ],
          indexes: [index('item_shape_idx', 'gist (shape)')],
          comment: 'Things.',
        },
      ),
    ],
    views: [view('expensive', 'SELECT item.id\n   FROM item\n  WHERE (item.price > (100)::numeric);', [['id', 'integer']])],
    routines: [
      routine('count_items', '', {
        language: 'plpgsql',
        result: 'bigint',
        definition: `()\n RETURNS bigint\n LANGUAGE plpgsql\n STABLE\nAS $function$begin return (select count(*) from ${ID}."item"); end$function$\n`,
        volatility: 'stable',
      }),
    ],
    triggers: [trigger('item_touch', 'item', { events: 'BEFORE UPDATE', body: "FOR EACH ROW EXECUTE FUNCTION touch('x')" })],
    policies: [policy('item_all', 'item', { roles: ['PUBLIC'], using: '(owner_id IS NOT NULL)' })],
    dependencies: [{ object: objectKey.view('expensive'), dependsOn: objectKey.table('item') }],
  };
  const source = renderModelSource(snapshot);

  it('writes a model module a person would write', () => {
    expect(source).to.equal(`// The model of a schema as \`migrate pull\` read it from the database: schema-agnostic, build it
// into any schema (createAll, \`migrate setup\`) and compare a database with it (\`migrate check\`).
import {
  column,
  defineModel,
  enumColumn,
  enumType,
  integer,
  numeric,
  pgFunction,
  policy,
  sequence,
  serial,
  sql,
  table,
  trigger,
  view,
  type DatabaseOf,
} from '${PACKAGE_NAME}';

// Enums

const status = enumType('status', ['new', 'it\\'s done']);

// Sequences

const batch = sequence('batch', { start: 100 });

// Tables

const item = table('item', {
  id: serial().primaryKey(),
  status: enumColumn(status).defaultTo(sql\`'new'::status\`),
  owner_id: integer().references('item', 'id', { onDelete: 'cascade' }),
  price: numeric(10, 2).check(sql\`price > (0)::numeric\`).comment('In cents.'),
  shape: column<unknown>('public.geometry(Point,4326)'),
})
  .index('item_shape_idx', ['shape'], { using: 'gist' })
  .comment('Things.');

// Views

const expensive = view('expensive', {
  columns: {
    id: integer(),
  },
  body: sql\`SELECT item.id
   FROM item
  WHERE (item.price > (100)::numeric)\`,
});

// Functions and procedures

const countItems = pgFunction('count_items', {
  returns: 'bigint',
  language: 'plpgsql',
  volatility: 'stable',
  body: (s) => sql\`begin return (select count(*) from \${s('item')}); end\`,
});

export const model = defineModel({
  enums: [status],
  sequences: [batch],
  tables: [item],
  views: [expensive],
  functions: [countItems],
  triggers: [
    trigger('item_touch', {
      table: 'item',
      timing: 'before',
      events: ['update'],
      forEach: 'row',
      function: 'touch',
      args: ['x'],
    }),
  ],
  policies: [policy('item_all', { table: 'item', using: sql\`owner_id IS NOT NULL\` })],
});

export type Db = DatabaseOf<typeof model>;
`);
  });

  it('is deterministic: the same snapshot in another order gives the same bytes', () => {
    const shuffled: Snapshot = { ...snapshot, sequences: [...snapshot.sequences].reverse(), enums: [...snapshot.enums].reverse() };
    expect(renderModelSource(shuffled)).to.equal(source);
    expect(renderModelSource(snapshot, { importFrom: '@acme/retort' })).to.contain("} from '@acme/retort';");
  });

  it('omits owners that are the reading role, or the SU role of a privileged routine; marks privileged routines', () => {
    const owned: Snapshot = {
      ...emptySnapshot,
      routines: [
        routine('py', '', {
          language: 'plpython3u',
          privileged: true,
          owner: 'su',
          result: 'text',
          definition: '()\n RETURNS text\n LANGUAGE plpython3u\nAS $function$return 1$function$\n',
        }),
        routine('other', '', { owner: 'app', definition: '()\n RETURNS integer\n LANGUAGE sql\nAS $function$select 1$function$\n' }),
      ],
    };
    const text = renderModelSource(
      {
        ...owned,
        routines: owned.routines.map((r) =>
          r.name === 'py' ? { ...r, grants: { granted: [{ grantee: READER_ROLE, privilege: 'EXECUTE', grantable: false }], revoked: [] } } : r,
        ),
      },
      { suRole: 'su' },
    );
    expect(text).to.contain("grant({ privileges: ['execute'], on: { function: 'py' }, to: 'session_user' })");
    expect(text).to.contain("const py = pgFunction('py', { returns: 'text', language: 'plpython3u', privileged: true, body: sql`return 1` });");
    expect(text).not.to.contain("owner: 'su'");
    expect(text).to.contain("owner: 'app',");
  });

  it('says which object it cannot write, rather than write something else', () => {
    const odd: Snapshot = {
      ...emptySnapshot,
      routines: [routine('t', '', { definition: '()\n RETURNS integer\n LANGUAGE sql\n TRANSFORM FOR TYPE hstore\nAS $function$select 1$function$\n' })],
    };
    expect(() => renderModelSource(odd))
      .to.throw(RetortError, /The function t\(\) cannot be written in the model DSL/)
      .with.property('code', 'PULL_UNSUPPORTED');
    const parent = table('m', [col('a', 'integer', { notNull: true })], { partitionKey: 'RANGE (a)' });
    const partition = (extra: object) =>
      table('m1', [col('a', 'integer', { notNull: true, inherited: true, local: false, ...extra })], {
        partitionOf: { parent: { schema: null, name: 'm' }, bound: 'DEFAULT' },
      });
    expect(renderModelSource({ ...emptySnapshot, tables: [parent, partition({})] })).to.contain("const m1 = m.partition('m1', sql`DEFAULT`);");
    expect(() => renderModelSource({ ...emptySnapshot, tables: [parent, partition({ comment: 'own' })] })).to.throw(
      RetortError,
      /Column m1.a, which differs from the parent's column/,
    );
    expect(() => renderModelSource({ ...emptySnapshot, tables: [parent, partition({ default: '1' })] })).to.throw(RetortError, /Column m1.a/);
  });
});

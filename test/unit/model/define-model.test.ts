import { expect } from 'chai';
import { sql } from 'kysely';
import { ConfigError } from '../../../src/errors';
import { column, completeModel, defineModel, grant, integer, pgFunction, serial, table, text, trigger, validateModel, varchar, view } from '../../../src/model';

describe('model/defineModel', () => {
  it('reports every problem of a model at once', () => {
    const a = table('a', {
      id: serial().primaryKey(),
      b_id: integer().references('missing_table', 'id'),
      c: integer().references('a', 'nope'),
    })
      .index('a_idx', ['id'])
      .unique(['id'], 'a_idx');
    const long = table('x'.repeat(64), { id: integer() });
    const twin = view('a', { body: sql`select 1` });
    const model = completeModel({
      tables: [a, long],
      views: [twin],
      triggers: [trigger('t', { table: 'ghost', timing: 'before', events: ['update'], forEach: 'row', function: 'nofn' })],
      grants: [grant({ privileges: ['execute'], on: { function: 'nofn' }, to: 'public' })],
    });
    const problems = validateModel(model);
    expect(problems).to.include.members([
      'foreign key a_b_id_fkey references table missing_table, which the model does not define',
      'foreign key a_c_fkey references a.nope, which does not exist',
      'index a_idx has the same name as unique constraint a_idx',
      `table ${'x'.repeat(64)} has a name longer than 63 bytes`,
      'view a has the same name as table a',
      'trigger t is on ghost, which the model does not define',
      'trigger t executes nofn, which is not a trigger function of the model',
      'a grant is on function nofn, which the model defines 0 times (need exactly 1)',
    ]);
    expect(() => defineModel(model))
      .to.throw(ConfigError, /The model is invalid: .*missing_table.*nofn/)
      .with.property('code', 'INVALID_MODEL');
  });

  it('counts the sequences of serial and identity columns as relations', () => {
    const t = table('t', { id: serial() });
    const clash = table('t_id_seq', { x: integer() });
    expect(validateModel(defineModelUnchecked([t, clash]))).to.deep.equal(['table t_id_seq has the same name as the sequence of t.id']);
  });

  it('requires privileged: true for C and untrusted languages, and C bodies for C only', () => {
    expect(() => pgFunction('f', { returns: 'trigger', language: 'c', body: { file: '$libdir/x', symbol: 'x' } })).to.throw(/set privileged: true/);
    expect(() => pgFunction('f', { returns: 'text', language: 'plpython3u', body: sql`return 'x'` })).to.throw(/needs a superuser/);
    expect(() => pgFunction('f', { returns: 'text', language: 'sql', body: { file: '$libdir/x', symbol: 'x' } })).to.throw(/goes with language c/);
    expect(pgFunction('f', { returns: 'text', language: 'plpython3u', privileged: true, body: sql`return 'x'` }).privileged).to.equal(true);
  });

  it('builds immutable values: builders return new values and leave the old ones alone', () => {
    const base = varchar(255);
    const strict = base.notNull();
    expect(base.node.nullable).to.equal(true);
    expect(strict.node.nullable).to.equal(false);
    expect(Object.isFrozen(base)).to.equal(true);
    expect(Object.isFrozen(base.node)).to.equal(true);
    const t = table('t', { id: integer().primaryKey(), name: text() });
    const indexed = t.index('t_name_idx', ['name']);
    expect(t.node.indexes).to.have.length(0);
    expect(indexed.node.indexes.map((i) => i.name)).to.deep.equal(['t_name_idx']);
    expect(Object.isFrozen(indexed.node)).to.equal(true);
  });

  it('names column-level constraints the way PostgreSQL does', () => {
    const t = table('obs', {
      id: integer().primaryKey(),
      code: text().unique(),
      n: integer().check(sql`n > 0`),
      parent: integer().references('obs', 'id'),
    });
    expect(t.node.primaryKey).to.deep.equal({ name: 'obs_pkey', columns: ['id'] });
    expect(t.node.uniques.map((u) => u.name)).to.deep.equal(['obs_code_key']);
    expect(t.node.checks.map((c) => c.name)).to.deep.equal(['obs_n_check']);
    expect(t.node.foreignKeys.map((f) => [f.name, f.onDelete])).to.deep.equal([['obs_parent_fkey', 'no action']]);
    expect(t.node.columns.map((c) => [c.name, c.nullable])).to.deep.equal([
      ['id', false],
      ['code', true],
      ['n', true],
      ['parent', true],
    ]);
  });

  it('refuses type names that could end the statement, hold a comment or leave a quote or parenthesis open', () => {
    const bad = (f: () => unknown, why: RegExp) => expect(f).to.throw(ConfigError, why).with.property('code', 'MODEL_BAD_SQL_TEXT');
    bad(
      () => pgFunction('f', { returns: 'int; drop table x', language: 'sql', body: sql`select 1` }),
      /A type of function f "int; drop table x" cannot be written into DDL: it contains ";"/,
    );
    bad(() => pgFunction('f', { args: [{ type: "text' or 1" }], returns: 'text', language: 'sql', body: sql`select 1` }), /leaves a string open/);
    bad(() => column("E'\\'' ; drop table x; select '"), /contains a backslash/);
    bad(() => column("$$'$$; drop table x; --'"), /contains a dollar quote/);
    bad(() => column('integer -- x'), /contains a comment/);
    bad(() => column('int /* x */'), /contains a comment/);
    bad(() => column('numeric(10'), /leaves a parenthesis open/);
    bad(() => column('numeric)10('), /closes a parenthesis it did not open/);
    bad(() => column('"int'), /leaves a quoted name open/);
    for (const ok of [
      'public.geometry(Point,4326)',
      'public.hstore',
      'citext',
      'integer[]',
      '"My;Type"',
      'timestamp(3) with time zone',
      'character varying(10)[]',
    ]) {
      expect(column(ok).node.dataType).to.deep.equal({ kind: 'sql', sql: ok });
    }
    expect(
      pgFunction('f', { args: [{ type: 'numeric(10, 2)' }, { type: 'character varying[]' }], returns: 'setof record', language: 'sql', body: sql`select 1` })
        .args,
    ).to.have.length(2);
  });
});

function defineModelUnchecked(tables: ReturnType<typeof table>[]) {
  return completeModel({ tables });
}

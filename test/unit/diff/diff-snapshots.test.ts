import { expect } from 'chai';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { noRenames } from '../../../src/diff/renames';
import { ConfigError } from '../../../src/errors';
import type { Operation } from '../../../src/operations/operation';
import { col, constraint, dep, enumType, index, k, policy, routine, sequence, snapshot, table, trigger, view } from './snapshot-literals';

const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);
const find = <K extends Operation['kind']>(ops: readonly Operation[], kind: K) => ops.find((o) => o.kind === kind) as Extract<Operation, { kind: K }>;
const position = (ops: readonly Operation[], predicate: (o: Operation) => boolean) => ops.findIndex(predicate);

describe('diffSnapshots', function () {
  it('finds nothing between equal snapshots', function () {
    const s = snapshot({ tables: [table('t', [col('id')])], views: [view('v', ' SELECT 1;', [['?column?', 'integer']])] });
    expect(diffSnapshots(s, s)).to.deep.equal([]);
  });

  it('creates and drops tables; a drop is destructive and says why', function () {
    const a = snapshot({ tables: [table('old', [col('a')])] });
    const b = snapshot({ tables: [table('new', [col('b', 'text')])] });
    const ops = diffSnapshots(a, b);
    expect(kinds(ops)).to.deep.equal(['dropTable', 'createTable']);
    expect(ops[0]).to.include({ destructive: true });
    expect(ops[0]!.reason).to.contain('"old"');
  });

  it('proposes a rename, flagged for review, when a dropped and an added table have the same shape', function () {
    const a = snapshot({ tables: [table('old', [col('a'), col('b', 'text')])] });
    const b = snapshot({ tables: [table('new', [col('b', 'text'), col('a')])] });
    const ops = diffSnapshots(a, b);
    expect(ops).to.have.length(1);
    expect(ops[0]).to.include({ kind: 'renameTable', from: 'old', to: 'new', review: true });
    expect(ops[0]!.note).to.contain('proposed as a rename');
  });

  it('takes rename hints as given (no review) and lets a resolver decide the rest', function () {
    const a = snapshot({ tables: [table('a1', [col('x')]), table('a2', [col('x')])] });
    const b = snapshot({ tables: [table('b1', [col('x')]), table('b2', [col('x')])] });
    // two candidates of one shape: the default resolver does not guess
    expect(kinds(diffSnapshots(a, b))).to.deep.equal(['dropTable', 'dropTable', 'createTable', 'createTable']);
    const hinted = diffSnapshots(a, b, { renames: ['table:a1=b2'], resolveRenames: () => [{ from: 'a2', to: 'b1' }] });
    expect(hinted).to.deep.equal([
      { kind: 'renameTable', from: 'a1', to: 'b2' },
      { kind: 'renameTable', from: 'a2', to: 'b1' },
    ]);
    expect(kinds(diffSnapshots(snapshot({ tables: [table('a', [])] }), snapshot({ tables: [table('b', [])] }), { resolveRenames: noRenames }))).to.deep.equal([
      'dropTable',
      'createTable',
    ]);
  });

  it('rejects a rename the resolver or a hint gets wrong', function () {
    const a = snapshot({ tables: [table('a', [])] });
    const b = snapshot({ tables: [table('b', [])] });
    expect(() => diffSnapshots(a, b, { renames: ['table:nope=b'] })).to.throw(ConfigError, /nope/);
    expect(() => diffSnapshots(a, b, { resolveRenames: () => [{ from: 'a', to: 'zzz' }] })).to.throw(ConfigError);
    expect(() => diffSnapshots(a, b, { renames: ['tables:a=b'] })).to.throw(ConfigError, /not "table:old=new"/);
  });

  it('renames columns by hint and by shape', function () {
    const a = snapshot({ tables: [table('t', [col('id'), col('qty'), col('note', 'text')])] });
    const b = snapshot({ tables: [table('t', [col('id'), col('quantity'), col('remark', 'text')])] });
    const ops = diffSnapshots(a, b, { renames: ['column:t.qty=quantity'] });
    expect(ops).to.deep.include({ kind: 'renameColumn', table: 't', from: 'qty', to: 'quantity' });
    const shaped = ops.find((o) => o.kind === 'renameColumn' && o.from === 'note');
    expect(shaped).to.include({ to: 'remark', review: true });
  });

  it('marks dropping a column and narrowing a type destructive, not widening', function () {
    const a = snapshot({ tables: [table('t', [col('a', 'character varying(10)'), col('b', 'bigint'), col('c', 'text')])] });
    const b = snapshot({ tables: [table('t', [col('a', 'character varying(20)'), col('b', 'integer')])] });
    const ops = diffSnapshots(a, b, { resolveRenames: noRenames });
    const alterA = ops.find((o) => o.kind === 'alterColumnType' && o.column === 'a');
    const alterB = ops.find((o) => o.kind === 'alterColumnType' && o.column === 'b');
    expect(alterA?.destructive).to.equal(undefined);
    expect(alterB).to.include({ destructive: true });
    expect(find(ops, 'dropColumn')).to.include({ destructive: true });
  });

  it('drops a view on a column whose type changes first and creates it again after', function () {
    const v = view('v', ' SELECT t.a\n   FROM t;', [['a', 'integer']]);
    const deps = [dep(k.view('v'), k.column('t', 'a'))];
    const a = snapshot({ tables: [table('t', [col('a')])], views: [v], dependencies: deps });
    const b = snapshot({
      tables: [table('t', [col('a', 'bigint')])],
      views: [{ ...v, columns: [{ name: 'a', type: 'bigint', collation: null, comment: null }] }],
      dependencies: deps,
    });
    expect(kinds(diffSnapshots(a, b))).to.deep.equal(['dropView', 'alterColumnType', 'createView']);
  });

  it('replaces a view in place when columns are only appended, and re-creates it with its dependants otherwise', function () {
    const base = [table('t', [col('a'), col('b')])];
    const v1 = view('v', ' SELECT t.a\n   FROM t;', [['a', 'integer']]);
    const w = view('w', ' SELECT v.a\n   FROM v;', [['a', 'integer']]);
    const deps = [dep(k.view('w'), k.view('v')), dep(k.view('v'), k.column('t', 'a'))];
    const a = snapshot({ tables: base, views: [v1, w], dependencies: deps });
    const appended = view('v', ' SELECT t.a, t.b\n   FROM t;', [
      ['a', 'integer'],
      ['b', 'integer'],
    ]);
    expect(kinds(diffSnapshots(a, snapshot({ tables: base, views: [appended, w], dependencies: deps })))).to.deep.equal(['replaceView']);
    const swapped = view('v', ' SELECT t.b\n   FROM t;', [['b', 'integer']]);
    const ops = diffSnapshots(
      a,
      snapshot({
        tables: base,
        views: [swapped, { ...w, definition: ' SELECT v.b\n   FROM v;', columns: [{ name: 'b', type: 'integer', collation: null, comment: null }] }],
        dependencies: [dep(k.view('w'), k.view('v'))],
      }),
    );
    expect(ops.map((o) => `${o.kind}:${'view' in o ? o.view.name : ''}`)).to.deep.equal(['dropView:w', 'dropView:v', 'createView:v', 'createView:w']);
  });

  it('creates a function before the view that calls it', function () {
    const f = routine('f', ' select 1 ');
    const v = view('v', ' SELECT f() AS f;', [['f', 'integer']]);
    const b = snapshot({ routines: [f], views: [v], dependencies: [dep(k.view('v'), k.routine('f', ''))] });
    expect(kinds(diffSnapshots(snapshot({}), b))).to.deep.equal(['createRoutine', 'createView']);
  });

  it('replaces a function in place, or drops and creates it (and its dependants) when the signature changes', function () {
    const f = routine('f', ' select 1 ');
    const v = view('v', ' SELECT f() AS f;', [['f', 'integer']]);
    const deps = [dep(k.view('v'), k.routine('f', ''))];
    const a = snapshot({ routines: [f], views: [v], dependencies: deps });
    expect(kinds(diffSnapshots(a, snapshot({ routines: [routine('f', ' select 2 ')], views: [v], dependencies: deps })))).to.deep.equal(['replaceRoutine']);
    const changed = routine('f', ' select 2::bigint ', { result: 'bigint' });
    expect(kinds(diffSnapshots(a, snapshot({ routines: [changed], views: [v], dependencies: deps })))).to.deep.equal([
      'dropView',
      'dropRoutine',
      'createRoutine',
      'createView',
    ]);
  });

  it('adds enum values in place and re-creates an enum that loses or reorders values', function () {
    const t = table('t', [col('c', 'e', { enumType: true })]);
    const deps = [dep(k.column('t', 'c'), k.type('e'))];
    const a = snapshot({ enums: [enumType('e', ['a', 'c'])], tables: [t], dependencies: deps });
    const added = diffSnapshots(a, snapshot({ enums: [enumType('e', ['a', 'b', 'c', 'd'])], tables: [t], dependencies: deps }));
    expect(added.map((o) => (o.kind === 'addEnumValue' ? [o.value, o.before, o.after] : o.kind))).to.deep.equal([
      ['b', null, 'a'],
      ['d', null, null],
    ]);
    const removed = diffSnapshots(a, snapshot({ enums: [enumType('e', ['c'])], tables: [t], dependencies: deps }));
    expect(removed).to.have.length(1);
    expect(removed[0]).to.deep.include({ kind: 'recreateEnum', type: 'e', fromLabels: ['a', 'c'], toLabels: ['c'], destructive: true });
    expect((removed[0] as Extract<Operation, { kind: 'recreateEnum' }>).columns).to.deep.equal([{ table: 't', column: 'c', array: false, default: null }]);
    const reordered = diffSnapshots(a, snapshot({ enums: [enumType('e', ['c', 'a'])], tables: [t], dependencies: deps }));
    expect(reordered[0]).to.include({ kind: 'recreateEnum' });
    expect(reordered[0]!.destructive).to.equal(undefined);
  });

  it('compares generated names by definition, and renames where a name differs', function () {
    const mk = (name: string, idx: string, definition = '(a)') =>
      snapshot({
        tables: [
          table('t', [col('a'), col('b')], {
            constraints: [constraint(name, 'unique', `UNIQUE ${definition}`, ['a'], { generatedName: name === 't_a_key' })],
            indexes: [index(idx, `btree ${definition}`, { generatedName: idx === 't_a_idx' })],
          }),
        ],
      });
    expect(diffSnapshots(mk('t_a_key', 't_a_idx'), mk('t_a_key', 't_a_idx'))).to.deep.equal([]);
    // t_a_key1 is what PostgreSQL picks when t_a_key is taken: a real name, renamed
    expect(diffSnapshots(mk('t_a_key1', 't_a_idx1'), mk('t_a_key', 't_a_idx'))).to.deep.equal([
      { kind: 'renameConstraint', table: 't', from: 't_a_key1', to: 't_a_key' },
      { kind: 'renameIndex', from: 't_a_idx1', to: 't_a_idx' },
    ]);
    expect(kinds(diffSnapshots(mk('t_a_key', 't_a_idx'), mk('t_a_key', 't_a_idx', '(b)')))).to.have.members([
      'dropConstraint',
      'addConstraint',
      'dropIndex',
      'createIndex',
    ]);
    const named = (name: string, definition = 'UNIQUE (a)') =>
      snapshot({ tables: [table('t', [col('a'), col('b')], { constraints: [constraint(name, 'unique', definition, ['a'])] })] });
    expect(kinds(diffSnapshots(named('one'), named('two')))).to.deep.equal(['renameConstraint']);
    expect(kinds(diffSnapshots(named('one'), named('two', 'UNIQUE (b)')))).to.deep.equal(['dropConstraint', 'addConstraint']);
  });

  it('adds a foreign key between new tables after both exist', function () {
    const parent = table('parent', [col('id', 'integer', { notNull: true })], {
      constraints: [constraint('parent_pkey', 'primary key', 'PRIMARY KEY (id)', ['id'])],
    });
    const fk = constraint('child_p_fkey', 'foreign key', 'FOREIGN KEY (p) REFERENCES parent(id)', ['p'], { references: { schema: null, name: 'parent' } });
    const child = table('child', [col('p')], { constraints: [fk] });
    const ops = diffSnapshots(
      snapshot({}),
      snapshot({ tables: [child, parent], dependencies: [dep(k.constraint('child', 'child_p_fkey'), k.constraint('parent', 'parent_pkey'))] }),
    );
    expect(kinds(ops)).to.deep.equal(['createTable', 'createTable', 'addConstraint']);
    expect(find(ops, 'addConstraint').constraint.name).to.equal('child_p_fkey');
    // the foreign key is not part of the child's CREATE TABLE
    const created = ops.filter((o) => o.kind === 'createTable').find((o) => o.kind === 'createTable' && o.table.name === 'child');
    expect(created).to.have.nested.property('table.constraints').that.deep.equals([]);
  });

  it('creates a serial column as sequence, table, then OWNED BY; and drops them the other way round', function () {
    const s = sequence('t_id_seq', { ownedBy: { table: 't', column: 'id' } });
    const t = table('t', [col('id', 'integer', { notNull: true, default: "nextval('t_id_seq'::regclass)" })]);
    const b = snapshot({ sequences: [s], tables: [t], dependencies: [dep(k.columnDefault('t', 'id'), k.sequence('t_id_seq'))] });
    expect(kinds(diffSnapshots(snapshot({}), b))).to.deep.equal(['createSequence', 'createTable', 'setSequenceOwner']);
    expect(kinds(diffSnapshots(b, snapshot({})))).to.deep.equal(['setSequenceOwner', 'dropTable', 'dropSequence']);
  });

  it('turns a column with a default into an identity column in a working order', function () {
    const a = snapshot({ tables: [table('t', [col('c', 'integer', { default: '77' })])] });
    const identity = {
      generation: 'by default' as const,
      sequenceName: 't_c_seq',
      dataType: 'integer',
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '2147483647',
      cache: '1',
      cycle: false,
    };
    const b = snapshot({ tables: [table('t', [col('c', 'integer', { notNull: true, identity })])] });
    expect(kinds(diffSnapshots(a, b))).to.deep.equal(['setColumnDefault', 'setColumnNotNull', 'addIdentity']);
    expect(kinds(diffSnapshots(b, a))).to.deep.equal(['dropIdentity', 'setColumnNotNull', 'setColumnDefault']);
  });

  it('re-creates a materialized view with its indexes and says it needs a refresh', function () {
    const mv = (def: string) => view('mv', def, [['a', 'integer']], { materialized: true, indexes: [index('mv_a_idx', 'btree (a)', { unique: true })] });
    const ops = diffSnapshots(snapshot({ views: [mv(' SELECT 1 AS a;')] }), snapshot({ views: [mv(' SELECT 2 AS a;')] }));
    expect(kinds(ops)).to.deep.equal(['dropView', 'createView']);
    expect(ops[1]!.note).to.contain('REFRESH');
    expect(find(ops, 'createView').view.indexes).to.have.length(1);
  });

  it('detaches a partition before its old parent gains a column', function () {
    const parent = (cols: string[]) =>
      table(
        'p',
        cols.map((c) => col(c)),
        { partitionKey: 'RANGE (a)' },
      );
    const part = table('p1', [col('a', 'integer', { inherited: true, local: false })], {
      partitionOf: { parent: { schema: null, name: 'p' }, bound: 'FOR VALUES FROM (1) TO (2)' },
    });
    const a = snapshot({ tables: [parent(['a']), part] });
    const b = snapshot({ tables: [parent(['a', 'extra']), { ...part, partitionOf: null, columns: [col('a')] }] });
    expect(kinds(diffSnapshots(a, b))).to.deep.equal(['detachPartition', 'addColumn']);
  });

  it('alters policies it can, re-creates the others, and diffs triggers, comments and grants', function () {
    const t = table('t', [col('a')]);
    const a = snapshot({ tables: [t], policies: [policy('p1', 't'), policy('p2', 't')], triggers: [trigger('tg', 't')] });
    const b = snapshot({
      tables: [{ ...t, comment: 'hello', grants: { granted: [{ grantee: 'PUBLIC', privilege: 'SELECT', grantable: false }], revoked: [] } }],
      policies: [policy('p1', 't', { using: '(a > 0)' }), policy('p2', 't', { permissive: false })],
      triggers: [trigger('tg', 't', { enabled: 'D' })],
    });
    const ops = diffSnapshots(a, b);
    expect(kinds(ops)).to.have.members(['alterPolicy', 'dropPolicy', 'createPolicy', 'setTriggerEnabled', 'setComment', 'grant']);
    expect(position(ops, (o) => o.kind === 'dropPolicy')).to.be.lessThan(position(ops, (o) => o.kind === 'createPolicy'));
  });

  it('drops views that depend on each other dependants first', function () {
    const v1 = view('v1', ' SELECT 1 AS a;', [['a', 'integer']]);
    const v2 = view('v2', ' SELECT v1.a FROM v1;', [['a', 'integer']]);
    const v3 = view('v3', ' SELECT v2.a FROM v2;', [['a', 'integer']]);
    const a = snapshot({ views: [v3, v1, v2], dependencies: [dep(k.view('v2'), k.view('v1')), dep(k.view('v3'), k.view('v2'))] });
    expect(diffSnapshots(a, snapshot({})).map((o) => (o.kind === 'dropView' ? o.view.name : o.kind))).to.deep.equal(['v3', 'v2', 'v1']);
    expect(diffSnapshots(snapshot({}), a).map((o) => (o.kind === 'createView' ? o.view.name : o.kind))).to.deep.equal(['v1', 'v2', 'v3']);
  });

  it('uses the old name for drops that run before a rename', function () {
    const v = view('v', ' SELECT t.a FROM t;', [['a', 'integer']]);
    const a = snapshot({ tables: [table('t', [col('a'), col('gone', 'text')])], views: [v], dependencies: [dep(k.view('v'), k.column('t', 'a'))] });
    const b = snapshot({ tables: [table('u', [col('a')])] });
    const ops = diffSnapshots(a, b, { renames: ['table:t=u'] });
    expect(ops.map((o) => o.kind)).to.have.members(['dropView', 'dropColumn', 'renameTable']);
    expect(ops[2]).to.include({ kind: 'renameTable' });
    expect(find(ops, 'dropColumn')).to.include({ table: 't' });
  });
});

describe('diffSnapshots: enum values used in the same migration', function () {
  it('re-creates the enum instead of ADD VALUE when a new value is used right away', function () {
    const t = (d: string) => table('t', [col('c', 'e', { enumType: true, default: d })]);
    const deps = [dep(k.column('t', 'c'), k.type('e')), dep(k.columnDefault('t', 'c'), k.type('e'))];
    const a = snapshot({ enums: [enumType('e', ['a'])], tables: [t("'a'::e")], dependencies: deps });
    const b = snapshot({ enums: [enumType('e', ['a', 'b'])], tables: [t("'b'::e")], dependencies: deps });
    const ops = diffSnapshots(a, b);
    expect(kinds(ops)).to.deep.equal(['setColumnDefault', 'recreateEnum', 'setColumnDefault']);
    expect(ops[1]!.destructive).to.equal(undefined);
    expect(ops[2]).to.include({ from: null, to: "'b'::e" });
  });
});

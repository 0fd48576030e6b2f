import { expect } from 'chai';
import type { Operation } from '../../../src/operations/operation';
import { reverseOperation, reverseOperations } from '../../../src/operations/reverse-operation';
import { col, enumType, table, view } from '../diff/snapshot-literals';

describe('reverseOperation', function () {
  const pairs: [Operation, Operation][] = [
    [
      { kind: 'createTable', table: table('t', []) },
      { kind: 'dropTable', table: table('t', []) },
    ],
    [
      { kind: 'renameTable', from: 'a', to: 'b' },
      { kind: 'renameTable', from: 'b', to: 'a' },
    ],
    [
      { kind: 'setColumnDefault', table: 't', column: 'c', from: null, to: '1' },
      { kind: 'setColumnDefault', table: 't', column: 'c', from: '1', to: null },
    ],
    [
      { kind: 'attachPartition', table: 'p1', parent: 'p', bound: 'DEFAULT' },
      { kind: 'detachPartition', table: 'p1', parent: 'p', bound: 'DEFAULT' },
    ],
    [
      { kind: 'createEnum', enum: enumType('e', ['a']) },
      { kind: 'dropEnum', enum: enumType('e', ['a']) },
    ],
    [
      { kind: 'grant', target: { kind: 'table', name: 't' }, grant: { grantee: 'PUBLIC', privilege: 'SELECT', grantable: false } },
      { kind: 'revoke', target: { kind: 'table', name: 't' }, grant: { grantee: 'PUBLIC', privilege: 'SELECT', grantable: false } },
    ],
    [
      { kind: 'setRowSecurity', table: 't', force: true, from: false, to: true },
      { kind: 'setRowSecurity', table: 't', force: true, from: true, to: false },
    ],
  ];

  for (const [op, undo] of pairs) {
    it(`undoes ${op.kind}`, function () {
      const reversed = reverseOperation(op);
      expect(reversed).to.have.length(1);
      expect(reversed[0]).to.deep.include(undo);
      // and back again
      expect(reverseOperation(reversed[0]!)[0]).to.deep.include(op);
    });
  }

  it('marks undoing an addition destructive', function () {
    expect(reverseOperation({ kind: 'addColumn', table: 't', column: col('c') })[0]).to.include({ kind: 'dropColumn', destructive: true });
    expect(reverseOperation({ kind: 'createTable', table: table('t', []) })[0]).to.include({ destructive: true });
  });

  it('undoes a type change as destructive only when going back narrows', function () {
    const widen: Operation = {
      kind: 'alterColumnType',
      table: 't',
      column: 'c',
      from: { type: 'integer', collation: null, enumType: false },
      to: { type: 'bigint', collation: null, enumType: false },
    };
    expect(reverseOperation(widen)[0]).to.include({ destructive: true });
    const narrowBack = reverseOperation(reverseOperation(widen)[0]!)[0]!;
    expect(narrowBack.destructive).to.equal(undefined);
  });

  it('undoes ADD VALUE by re-creating the enum around its dependants', function () {
    const v = view('v', " SELECT 'a'::e AS e;", [['e', 'e']]);
    const op: Operation = {
      kind: 'addEnumValue',
      type: 'e',
      value: 'b',
      before: null,
      after: 'a',
      labels: ['a', 'c'],
      columns: [{ table: 't', column: 'c', array: false, default: null }],
      dependants: [{ kind: 'createView', view: v }],
    };
    const undo = reverseOperation(op);
    expect(undo.map((o) => o.kind)).to.deep.equal(['dropView', 'recreateEnum', 'createView']);
    expect(undo[1]).to.deep.include({ fromLabels: ['a', 'b', 'c'], toLabels: ['a', 'c'], destructive: true });
  });

  it('undoes a view that gained columns by dropping and creating it with its dependants', function () {
    const before = view('v', ' SELECT 1 AS a;', [['a', 'integer']]);
    const after = view('v', ' SELECT 1 AS a, 2 AS b;', [
      ['a', 'integer'],
      ['b', 'integer'],
    ]);
    const w = view('w', ' SELECT v.a FROM v;', [['a', 'integer']]);
    const undo = reverseOperation({ kind: 'replaceView', from: before, to: after, dependants: [{ kind: 'createView', view: w }] });
    expect(undo.map((o) => `${o.kind}:${'view' in o ? o.view.name : ''}`)).to.deep.equal(['dropView:w', 'dropView:v', 'createView:v', 'createView:w']);
    expect(reverseOperation({ kind: 'replaceView', from: after, to: before })).to.deep.equal([{ kind: 'replaceView', from: before, to: after }]);
  });

  it('undoes an extension update by dropping and creating the old version', function () {
    const undo = reverseOperation({ kind: 'alterExtension', name: 'pg_trgm', fromVersion: '1.3', toVersion: '1.4', privileged: false });
    expect(undo.map((o) => o.kind)).to.deep.equal(['dropExtension', 'createExtension']);
    expect(undo[0]).to.include({ destructive: true });
    expect(undo[1]).to.deep.include({ extension: { name: 'pg_trgm', version: '1.3', schema: null, privileged: false } });
  });

  it('undoes DROP EXPRESSION by adding the generated column again', function () {
    const undo = reverseOperation({ kind: 'dropExpression', table: 't', column: col('g'), expression: '(a * 2)' });
    expect(undo.map((o) => o.kind)).to.deep.equal(['dropColumn', 'addColumn']);
    expect(undo[1]).to.have.nested.property('column.generated', '(a * 2)');
  });

  it('reverses a list last first', function () {
    const ops: Operation[] = [
      { kind: 'renameTable', from: 'a', to: 'b' },
      { kind: 'renameColumn', table: 'b', from: 'x', to: 'y' },
    ];
    expect(reverseOperations(ops)).to.deep.equal([
      { kind: 'renameColumn', table: 'b', from: 'y', to: 'x' },
      { kind: 'renameTable', from: 'b', to: 'a' },
    ]);
  });
});

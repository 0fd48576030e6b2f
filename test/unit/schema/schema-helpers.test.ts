import { expect } from 'chai';
import { deepEqual } from '../../../src/schema/deep-equal';
import { isGeneratedName, makeObjectName, nameAddition } from '../../../src/schema/generated-names';
import { normalizeSnapshot } from '../../../src/schema/normalize-snapshot';
import { keyKind, keyParts, objectKey } from '../../../src/schema/object-key';
import { quoteIdent, quoteIdentIfNeeded, quoteLiteral, readQualifiedName, renameIdentifiers } from '../../../src/schema/sql-text';
import { isWidening } from '../../../src/schema/type-widening';
import { replaceableInPlace } from '../../../src/schema/view-compatibility';
import { col, snapshot, table, view } from '../diff/snapshot-literals';

describe('generated names', function () {
  it('builds names the way PostgreSQL does, trimming to 63 bytes', function () {
    expect(makeObjectName('orders', 'customer_id', 'fkey')).to.equal('orders_customer_id_fkey');
    expect(makeObjectName('t', null, 'pkey')).to.equal('t_pkey');
    const long = makeObjectName('a'.repeat(60), 'b'.repeat(60), 'key');
    expect(Buffer.byteLength(long)).to.equal(63);
    expect(long).to.equal('a'.repeat(29) + '_' + 'b'.repeat(29) + '_key');
    // never splits a multibyte character
    expect(makeObjectName('é'.repeat(40), null, 'seq')).to.equal('é'.repeat(29) + '_seq');
  });

  it('recognises the names PostgreSQL generates first, and nothing else (numbered ones are real)', function () {
    expect(isGeneratedName('t_a_b_key', 't', nameAddition(['a', 'b']), 'key')).to.equal(true);
    expect(isGeneratedName('t_a_key1', 't', 'a', 'key')).to.equal(false);
    expect(isGeneratedName('t_a_key01', 't', 'a', 'key')).to.equal(false);
    expect(isGeneratedName('my_key', 't', 'a', 'key')).to.equal(false);
    expect(isGeneratedName('t_pkey', 't', null, 'pkey')).to.equal(true);
  });
});

describe('sql text', function () {
  it('quotes like quote_ident, or always', function () {
    expect(quoteIdentIfNeeded('abc_1')).to.equal('abc_1');
    expect(quoteIdentIfNeeded('Abc')).to.equal('"Abc"');
    expect(quoteIdentIfNeeded('user')).to.equal('"user"');
    expect(quoteIdentIfNeeded('a"b')).to.equal('"a""b"');
    expect(quoteIdent('t')).to.equal('"t"');
    expect(quoteLiteral("it's")).to.equal("'it''s'");
    expect(quoteLiteral('a\\b')).to.equal("E'a\\\\b'");
  });

  it('renames identifiers but not string literals, keywords or function names', function () {
    const names = new Map([
      ['price', 'cost'],
      ['lower', 'nope'],
      ['old_seq', 'New Seq'],
    ]);
    expect(renameIdentifiers("CHECK ((price > 0) AND (note <> 'price'))", names)).to.equal("CHECK ((cost > 0) AND (note <> 'price'))");
    expect(renameIdentifiers('btree (lower(name))', names)).to.equal('btree (lower(name))');
    expect(renameIdentifiers("nextval('old_seq'::regclass)", names)).to.equal(`nextval('"New Seq"'::regclass)`);
    expect(renameIdentifiers('UNIQUE ("price")', names)).to.equal('UNIQUE (cost)');
    // the referenced table of a foreign key is printed like a call
    expect(renameIdentifiers('FOREIGN KEY (a) REFERENCES price(id)', names)).to.equal('FOREIGN KEY (a) REFERENCES cost(id)');
  });

  it('reads qualified names', function () {
    expect(readQualifiedName('a."B c".d rest', 0)).to.deep.equal({ parts: ['a', 'B c', 'd'], end: 9 });
  });
});

describe('object keys', function () {
  it('round-trips names with quotes and dots', function () {
    const key = objectKey.column('my "table"', 'a.b');
    expect(keyKind(key)).to.equal('column');
    expect(keyParts(key)).to.deep.equal(['my "table"', 'a.b']);
    expect(keyParts(objectKey.routine('f', 'integer, text'))).to.deep.equal(['f']);
  });
});

describe('type widening', function () {
  it('knows which changes keep every value', function () {
    expect(isWidening('integer', 'bigint')).to.equal(true);
    expect(isWidening('character varying(10)', 'text')).to.equal(true);
    expect(isWidening('character varying(10)', 'character varying(9)')).to.equal(false);
    expect(isWidening('numeric(10,2)', 'numeric(12,2)')).to.equal(true);
    expect(isWidening('numeric(10,2)', 'numeric(10,3)')).to.equal(false);
    expect(isWidening('text', 'integer')).to.equal(false);
  });
});

describe('view compatibility', function () {
  it('allows appending columns only', function () {
    const a = view('v', '', [['a', 'integer']]);
    expect(
      replaceableInPlace(
        a,
        view('v', '', [
          ['a', 'integer'],
          ['b', 'text'],
        ]),
      ),
    ).to.equal(true);
    expect(replaceableInPlace(a, view('v', '', [['a', 'bigint']]))).to.equal(false);
    expect(
      replaceableInPlace(
        view('v', '', [
          ['a', 'integer'],
          ['b', 'text'],
        ]),
        a,
      ),
    ).to.equal(false);
  });
});

describe('normalizeSnapshot and deepEqual', function () {
  it('puts snapshots in one order so equal schemas compare equal', function () {
    const a = snapshot({
      tables: [table('b', [col('x')]), table('a', [col('y')])],
      dependencies: [
        { object: 'z', dependsOn: 'y' },
        { object: 'a', dependsOn: 'b' },
      ],
    });
    const b = snapshot({
      tables: [table('a', [col('y')]), table('b', [col('x')])],
      dependencies: [
        { object: 'a', dependsOn: 'b' },
        { object: 'z', dependsOn: 'y' },
      ],
    });
    expect(deepEqual(a, b)).to.equal(false);
    expect(deepEqual(normalizeSnapshot(a), normalizeSnapshot(b))).to.equal(true);
    expect(normalizeSnapshot(a).tables.map((t) => t.name)).to.deep.equal(['a', 'b']);
  });

  it('compares plain data structurally', function () {
    expect(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).to.equal(true);
    expect(deepEqual({ a: [1] }, { a: [1, 2] })).to.equal(false);
    expect(deepEqual({ a: 1 }, { b: 1 })).to.equal(false);
    expect(deepEqual([], {})).to.equal(false);
  });
});

import { expect } from 'chai';
import { sql } from 'kysely';
import { assertServerSupports, VERSION_FEATURES, versionShortfalls } from '../../../src/diff/version-requirements';
import { defineModel, integer, modelOperations, pgFunction, table, text, view } from '../../../src/model';

const model = defineModel({
  tables: [table('orders', { id: integer().primaryKey(), code: text() }).unique(['code'], 'orders_code_key', { nullsNotDistinct: true })],
  views: [view('open_orders', { body: (s) => sql`select id from ${s('orders')}`, options: ['security_invoker=true'] })],
  functions: [pgFunction('one', { returns: 'int', language: 'sql', body: { atomic: sql`BEGIN ATOMIC SELECT 1; END` } })],
});

describe('version requirements (unit)', () => {
  it('finds each use of a feature the major lacks, naming the object', () => {
    const ops = modelOperations(model);
    const on13 = versionShortfalls(ops, 130016).map((s) => [s.feature.id, s.object]);
    expect(on13).to.have.deep.members([
      ['nulls-not-distinct', "added table 'orders'"],
      ['security-invoker', "added view 'open_orders'"],
      ['begin-atomic', "added function 'one()'"],
    ]);
    expect(
      versionShortfalls(ops, 140010)
        .map((s) => s.feature.id)
        .sort(),
    ).to.deep.equal(['nulls-not-distinct', 'security-invoker']);
    expect(versionShortfalls(ops, 150004)).to.deep.equal([]);
    expect(versionShortfalls(ops, 180000)).to.deep.equal([]);
  });

  it('refuses in one line naming the feature, the major it needs and the server', () => {
    const ops = modelOperations(defineModel({ tables: [table('t', { code: text() }).unique(['code'], 't_code_key', { nullsNotDistinct: true })] }));
    expect(() => assertServerSupports(ops, 130016, 'the target'))
      .to.throw("NULLS NOT DISTINCT needs PostgreSQL 15; the target runs 13 (added table 't').")
      .with.property('code', 'VERSION_FEATURE');
    expect(() => assertServerSupports(ops, 150000)).to.not.throw();
  });

  it('does not count what is dropped, nor a security_invoker set to false', () => {
    const off = modelOperations(defineModel({ tables: [], views: [view('v', { body: sql`select 1 as one`, options: ['security_invoker=false'] })] }));
    expect(versionShortfalls(off, 130000)).to.deep.equal([]);
    const drops = modelOperations(model)
      .map((op) => (op.kind === 'createTable' ? { kind: 'dropTable' as const, table: op.table } : op))
      .filter((op) => op.kind === 'dropTable');
    expect(versionShortfalls(drops, 130000)).to.deep.equal([]);
  });

  it('lists features oldest first, each with a major Retort supports', () => {
    expect(VERSION_FEATURES.map((f) => f.since)).to.deep.equal([...VERSION_FEATURES.map((f) => f.since)].sort((a, b) => a - b));
    for (const f of VERSION_FEATURES) expect(f.since).to.be.within(14, 18);
  });
});

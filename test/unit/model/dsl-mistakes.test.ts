import { expect } from 'chai';
import { sql } from 'kysely';
import { ConfigError, RetortError, type ErrorCode } from '../../../src/errors';
import { column, domain, enumType, grant, integer, materializedView, pgFunction, serial, table, text, trigger, view } from '../../../src/model';

/** Runs `f`, which must throw a ConfigError with `code`; returns its message. */
function mistake(f: () => unknown, code: ErrorCode): string {
  try {
    f();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    expect(error).to.be.instanceOf(RetortError);
    expect((error as RetortError).code).to.equal(code);
    expect((error as RetortError).exitCode).to.equal(2);
    return (error as Error).message;
  }
  expect.fail(`expected a ${code} error`);
}

describe('model DSL mistakes', () => {
  it('are ConfigErrors with the MODEL_BAD_CALL code, naming the object', () => {
    expect(mistake(() => enumType('mood', []), 'MODEL_BAD_CALL')).to.equal('Enum mood has no labels: give it at least one.');
    expect(mistake(() => enumType('mood', ['ok', 'ok']), 'MODEL_BAD_CALL')).to.match(/^Enum mood has a label twice/);
    expect(mistake(() => table('t', { id: integer() }).partitionBy('range', []), 'MODEL_BAD_CALL')).to.match(/^Table t is partitioned by no key/);
    expect(mistake(() => table('t', { id: integer() }).index('t_idx', []), 'MODEL_BAD_CALL')).to.match(/^Index t_idx on t has no elements/);
    expect(mistake(() => view('v', { body: sql`select 1 as x` }).index('v_idx', [{ expression: sql`x` }]), 'MODEL_BAD_CALL')).to.match(
      /^View v is not materialized: .*materializedView\(\)/,
    );
    expect(mistake(() => grant({ privileges: [], on: { table: 't' }, to: 'reader' }), 'MODEL_BAD_CALL')).to.match(/^A grant to reader names no privileges/);
    expect(mistake(() => trigger('tr', { table: 't', timing: 'before', events: [], forEach: 'row', function: 'f' }), 'MODEL_BAD_CALL')).to.match(
      /^Trigger tr has no events/,
    );
    expect(
      mistake(() => trigger('tr', { table: 't', timing: 'before', events: ['insert'], updateOf: ['x'], forEach: 'row', function: 'f' }), 'MODEL_BAD_CALL'),
    ).to.match(/^Trigger tr names updateOf columns but has no update event/);
    expect(mistake(() => serial().array(), 'MODEL_BAD_CALL')).to.match(/serial column cannot be an array: use integer\(\)\.array\(\)/);
    expect(mistake(() => pgFunction('f', { returns: 'text', language: 'PLPGSQL', body: sql`begin return 'x'; end` }), 'MODEL_BAD_CALL')).to.match(
      /bad language name "PLPGSQL"/,
    );
  });

  it('rejects SQL text that cannot be pasted into DDL with MODEL_BAD_SQL_TEXT', () => {
    expect(mistake(() => column('text; drop table x'), 'MODEL_BAD_SQL_TEXT')).to.match(/^The column type "text; drop table x" cannot be written into DDL/);
    expect(mistake(() => domain('d', 'text --', {}), 'MODEL_BAD_SQL_TEXT')).to.match(/^The base type of domain d/);
    expect(mistake(() => table('t', { id: integer() }).options(['fillfactor=70)']), 'MODEL_BAD_SQL_TEXT')).to.match(/^A storage parameter of table t/);
  });

  it('accepts the same calls written correctly', () => {
    expect(enumType('mood', ['ok', 'sad']).labels).to.deep.equal(['ok', 'sad']);
    expect(materializedView('v', { body: sql`select 1 as x` }).index('v_idx', [{ expression: sql`x` }]).node.indexes).to.have.length(1);
    expect(table('t', { id: integer(), name: text() }).index('t_idx', ['name']).name).to.equal('t');
  });
});

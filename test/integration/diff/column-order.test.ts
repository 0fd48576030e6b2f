/**
 * migra's triggers3: the target has a new column between two existing ones, and a view and an
 * INSTEAD OF trigger over the table. PostgreSQL adds columns at the end and cannot move them
 * without re-creating the table; Retort adds the column at the end, says so in the
 * operation's note, and does not count column order as a difference afterwards.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { query } from '../../support/database';
import { checkPair } from './pair-harness';

const fixture = (file: string) => readFileSync(path.join(__dirname, 'fixtures', 'migra', 'triggers3', file), 'utf8');

async function columnOrder(url: string, schema: string, table: string): Promise<string[]> {
  const rows = await query<{ attname: string }>(
    url,
    `select attname from pg_attribute where attrelid = format('%I.%I', $1::text, $2::text)::regclass and attnum > 0 and not attisdropped order by attnum`,
    [schema, table],
  );
  return rows.map((r) => r.attname);
}

describe('diff: a column added between existing ones (migra triggers3) (integration)', function () {
  it('adds it at the end with a note, and does not report the order afterwards', async function () {
    const r = await checkPair({
      a: fixture('a.sql'),
      b: fixture('b.sql'),
      revision: true,
      afterUpgrade: async (url, schema) => {
        expect(await columnOrder(url, schema, 'my_table')).to.deep.equal(['some_text', 'some_count', 'some_date']);
        expect(await columnOrder(url, schema, 'view_on_table')).to.deep.equal(['some_text', 'some_date', 'some_count']);
      },
    });
    expect(r.to.tables[0]!.columns.map((c) => c.name)).to.deep.equal(['some_text', 'some_date', 'some_count']);
    const add = r.operations.find((o) => o.kind === 'addColumn')!;
    expect(add.note).to.contain('column "some_date" goes at the end of "my_table", where the target has it before "some_count"');
    expect(r.sql).to.contain('-- NOTE: column "some_date" goes at the end');
  });
});

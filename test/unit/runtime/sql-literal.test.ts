import { expect } from 'chai';
import { inlineParameters, sqlLiteral } from '../../../src/runtime/sql-literal';

describe('runtime: SQL literals for --sql output', () => {
  it('quotes values', () => {
    expect(sqlLiteral("it's")).to.equal("'it''s'");
    expect(sqlLiteral(null)).to.equal('NULL');
    expect(sqlLiteral(3)).to.equal('3');
    expect(sqlLiteral(true)).to.equal('TRUE');
    expect(sqlLiteral(['a', 1])).to.equal("ARRAY['a', 1]");
  });

  it('replaces placeholders but not $1 inside strings, identifiers, bodies or comments', () => {
    const text = `insert into t values ($1, '$1', "$1") -- $1\n; create function f(int) returns int as $$ select $1 $$ language sql; select $2`;
    expect(inlineParameters(text, ['x', 7])).to.equal(
      `insert into t values ('x', '$1', "$1") -- $1\n; create function f(int) returns int as $$ select $1 $$ language sql; select 7`,
    );
  });
});

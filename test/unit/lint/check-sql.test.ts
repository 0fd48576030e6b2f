import { expect } from 'chai';
import { checkStatements, newSqlCheckState, type SqlIssue } from '../../../src/lint/check-sql';
import { tokenize } from '../../../src/lint/sql-tokens';
import { findLiteralSchemas } from '../../../src/lint/sql-names';
import { unqualifiedTables } from '../../../src/lint/function-body';

const ctx = { placeholder: 'p', knownSchemas: ['crmp', 'public'] };
const rules = (issues: readonly SqlIssue[]) => issues.map((i) => i.rule);
const check = (...statements: string[]) => checkStatements(statements, ctx);

describe('lint: SQL tokens', () => {
  it('skips comments and keeps quoted identifiers, strings and dollar bodies whole', () => {
    const t = tokenize(`select "A""b".x, 'it''s' -- crmp.t\n/* crmp.u /* nested */ */ from $b$ body; $b$ e'a\\'b'`);
    expect(t.map((x) => [x.kind, x.value])).to.deep.equal([
      ['word', 'select'],
      ['quoted', 'A"b'],
      ['punct', '.'],
      ['word', 'x'],
      ['punct', ','],
      ['string', "it's"],
      ['word', 'from'],
      ['dollar', ' body; '],
      ['string', "a'b"],
    ]);
    expect(tokenize('$1::int').map((x) => x.kind)).to.deep.equal(['param', 'op', 'word']);
  });
});

describe('lint: literal schemas in SQL', () => {
  const found = (text: string) => findLiteralSchemas(tokenize(text), ctx).map((h) => h.written);

  it('flags qualified names in relation positions, calls, casts, three-part names and schema clauses', () => {
    expect(found('select * from other.t join x.u on true')).to.deep.equal(['other.t', 'x.u']);
    expect(found('insert into "Other".t values (1)')).to.deep.equal(['Other.t']);
    expect(found('create index i on other.t (a)')).to.deep.equal(['other.t']);
    expect(found('alter table p.t add constraint f foreign key (a) references other.u (id)')).to.deep.equal(['other.u']);
    expect(found('select other.f(1), a::other.typ, other.t.col')).to.deep.equal(['other.f', 'other.typ', 'other.t.col']);
    expect(found('create schema if not exists other')).to.deep.equal(['schema other']);
    expect(found('grant usage on schema other to r')).to.deep.equal(['schema other']);
    expect(found('set search_path to other, public')).to.deep.equal(['search_path other']);
    expect(found("select nextval('other.seq'), 'other.t'::regclass, 'other'::regnamespace")).to.deep.equal([
      "'other.seq'",
      "'other.t'",
      "'other'::regnamespace",
    ]);
    expect(found("select set_config('search_path', 'other,public', true)")).to.deep.equal(['search_path other']);
    expect(found('select crmp.t.a, x from t where y = crmp.col')).to.deep.equal(['crmp.t.a', 'crmp.col']);
  });

  it('accepts the placeholder, derived names, system schemas, and table.column references', () => {
    expect(found('select t.a, s.b from "p"."t" t join p.s s on s.id = t.id and t.x is distinct from s.y')).to.deep.equal([]);
    expect(found('select extract(day from t.obs_time), pg_catalog.now(), information_schema.tables.x from p_archive.t')).to.deep.equal([]);
    expect(found('set search_path to p, public, pg_temp')).to.deep.equal([]);
    expect(found("select 'other.t' as label, 'other.t'::text")).to.deep.equal([]);
    expect(found('select x from t where a.b in (select c.d from p.c)')).to.deep.equal([]);
  });
});

describe('lint: locking rules', () => {
  it('index-not-concurrent: CREATE INDEX on an existing table, not on one created in the same revision', () => {
    expect(rules(check('create index "i" on "p"."t" ("a")'))).to.deep.equal(['index-not-concurrent']);
    expect(rules(check('create unique index if not exists i on only p.t (a)'))).to.deep.equal(['index-not-concurrent']);
    expect(rules(check('create index concurrently "i" on "p"."t" ("a")'))).to.deep.equal([]);
    expect(rules(check('create table "p"."t" ("a" int)', 'create index "i" on "p"."t" ("a")'))).to.deep.equal([]);
    expect(rules(check('create materialized view p.mv as select 1 as a', 'create unique index i on p.mv (a)'))).to.deep.equal([]);
    expect(rules(check('alter table p.t add constraint u unique (a)'))).to.deep.equal(['index-not-concurrent']);
    expect(rules(check('alter table p.t add constraint u unique using index i'))).to.deep.equal([]);
  });

  it('fk-not-valid: ADD FOREIGN KEY without NOT VALID on an existing table', () => {
    const issues = check('alter table "p"."t" add constraint "fk" foreign key ("a") references "p"."u" ("id") on delete cascade');
    expect(rules(issues)).to.deep.equal(['fk-not-valid']);
    expect(issues[0]!.message).to.contain('"fk"').and.contain('existing table t');
    expect(rules(check('alter table p.t add constraint fk foreign key (a) references p.u (id) not valid'))).to.deep.equal([]);
    expect(rules(check('create table p.t (a int)', 'alter table p.t add foreign key (a) references p.u (id)'))).to.deep.equal([]);
  });

  it('column-type-change: ALTER COLUMN ... TYPE, in any spelling and among other actions', () => {
    expect(rules(check('alter table "p"."t" alter column "n" type bigint'))).to.deep.equal(['column-type-change']);
    expect(rules(check('alter table p.t add column x int, alter n set data type text using n::text'))).to.deep.equal(['column-type-change']);
    expect(rules(check('alter table p.t alter column n set default 0'))).to.deep.equal([]);
  });

  it('set-not-null: unless a validated CHECK (col IS NOT NULL) precedes it, in this or an earlier revision', () => {
    expect(rules(check('alter table "p"."t" alter column "n" set not null'))).to.deep.equal(['set-not-null']);
    expect(
      rules(
        check(
          'alter table p.t add constraint n_nn check (n is not null) not valid',
          'alter table p.t validate constraint n_nn',
          'alter table p.t alter column n set not null',
        ),
      ),
    ).to.deep.equal([]);
    // NOT VALID alone is not enough: the scan still happens under the lock.
    expect(rules(check('alter table p.t add constraint n_nn check (n is not null) not valid', 'alter table p.t alter column n set not null'))).to.deep.equal([
      'set-not-null',
    ]);
    const state = newSqlCheckState();
    checkStatements(['alter table p.t add constraint c check ("n" is not null) not valid'], ctx, state);
    checkStatements(['alter table p.t validate constraint c'], ctx, state);
    expect(rules(checkStatements(['alter table p.t alter column n set not null'], ctx, state))).to.deep.equal([]);
    expect(rules(checkStatements(['alter table p.t alter column m set not null'], ctx, state))).to.deep.equal(['set-not-null']);
  });

  it('reports the statement and the offset of the offending action', () => {
    const issues = check('select 1', 'alter table p.t add column x int,\n  alter column n type text');
    expect(issues).to.have.length(1);
    expect(issues[0]!.statement).to.equal(1);
    expect('alter table p.t add column x int,\n  alter column n type text'.slice(issues[0]!.offset)).to.match(/^alter column n type/);
  });
});

describe('lint: unqualified names in function bodies', () => {
  it('warns for SQL and PL/pgSQL bodies that name tables unqualified without pinning search_path', () => {
    const issues = check(`create function "p"."f"() returns bigint language sql as $$ select count(*) from station s, obs o join "p".vars v on true $$`);
    expect(issues.map((i) => `${i.rule}:${i.message.match(/table "(\w+)"/)?.[1]}`)).to.deep.equal(['unqualified-in-body:station', 'unqualified-in-body:obs']);
    const pl = check(`create or replace function p.g() returns trigger language plpgsql as $body$
begin
  update meta_station set n = 1 where id = new.id;
  insert into history select * from p.x;
  return new;
end $body$`);
    expect(pl.map((i) => i.message.match(/table "(\w+)"/)?.[1])).to.deep.equal(['meta_station', 'history']);
  });

  it('accepts pinned search_path, qualified names, CTEs, function calls, extract/distinct FROMs, DO blocks and C functions', () => {
    expect(
      rules(check(`create function p.f() returns bigint language sql set search_path = "p", pg_temp as $$ select count(*) from station $$`)),
    ).to.deep.equal([]);
    expect(
      rules(
        check(
          `create function p.f(d date) returns int language sql as $$ with w as (select 1 as a) select extract(day from d)::int from w, generate_series(1, 2) g where 1 is distinct from 2 $$`,
        ),
      ),
    ).to.deep.equal([]);
    expect(rules(check(`do $$ begin perform 1 from station; end $$`))).to.deep.equal([]);
    expect(rules(check(`create function p.w() returns trigger language c as '$libdir/moddatetime', 'moddatetime'`))).to.deep.equal([]);
    expect(rules(check(`create function p.f() returns int language sql begin atomic select count(*) from station; end`))).to.deep.equal([]);
    expect(unqualifiedTables(tokenize('select 1 from pg_class for update; fetch next from cur'))).to.deep.equal([]);
  });

  it('flags literal schemas inside bodies too', () => {
    const issues = check(`create function p.f() returns bigint language sql set search_path = p as $$ select count(*) from crmp.station $$`);
    expect(rules(issues)).to.deep.equal(['literal-schema']);
    expect(issues[0]!.message).to.contain('function f');
  });
});

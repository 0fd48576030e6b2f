/**
 * The benchmark schema: 1000 tables (8 columns of mixed types, a primary key, a foreign key, a
 * unique constraint and an index each), 100 views and 50 plpgsql functions, as DDL batches
 * (one transaction per batch keeps the lock table small).
 */
export function benchSchemaDdl(schema: string): string[] {
  const out: string[] = [`create schema ${schema};`];
  out.push(`create type status as enum ('new', 'open', 'closed');`);
  for (let i = 1; i <= 1000; i++) {
    const parent = i === 1 ? 1 : i - 1;
    out.push(`create table t${i} (
  id serial primary key,
  parent_id integer references t${parent} (id) on delete cascade,
  name varchar(100) not null,
  code text unique,
  amount numeric(12,2) default 0,
  created_at timestamptz not null default now(),
  state status default 'new',
  payload jsonb
);
create index on t${i} (created_at);`);
  }
  for (let j = 1; j <= 100; j++) {
    out.push(`create view v${j} as select a.id, a.name, b.code, b.amount from t${j} a join t${j + 1} b on b.parent_id = a.id where a.state <> 'closed';`);
  }
  for (let k = 1; k <= 50; k++) {
    out.push(`create function f${k}(p integer, q text default null) returns integer language plpgsql stable as $$
begin
  if q is null then
    return p + ${k};
  end if;
  return p * ${k} + length(q);
end
$$;`);
  }
  const batches: string[] = [];
  for (let i = 0; i < out.length; i += 50) batches.push(`set search_path = ${schema};\n` + out.slice(i, i + 50).join('\n'));
  return batches;
}

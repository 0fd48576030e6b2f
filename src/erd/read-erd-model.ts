import { sql, type Kysely } from 'kysely';
import { quoteIdentIfNeeded } from '../schema/sql-text';
import type { ErdColumn, ErdEntity, ErdEntityKind, ErdModel, ErdRelation } from './erd-model';

interface ColumnRow {
  relname: string;
  relkind: string;
  attname: string | null;
  type: string | null;
  notnull: boolean | null;
}

interface ConstraintRow {
  conname: string;
  contype: 'p' | 'f' | 'u';
  relname: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
}

interface DependencyRow {
  view: string;
  table_schema: string;
  table_name: string;
}

const KINDS: Record<string, ErdEntityKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' };

/**
 * Reads the tables, views, columns, keys and view dependencies of one schema in three queries.
 * Partitions are left out (their parent stands for them), and so are `excludeTables` (the version
 * table and its history).
 *
 * @example
 * ```ts
 * const model = await readErdModel(db, { schema: 'crmp', excludeTables: ['alembic_version', 'alembic_version_history'] });
 * model.entities.map((e) => e.name); // ['meta_history', 'meta_network', ..., 'station_names']
 * ```
 */
export async function readErdModel(db: Kysely<any>, options: { schema: string; excludeTables?: readonly string[] }): Promise<ErdModel> {
  const { schema } = options;
  const exclude = [...(options.excludeTables ?? [])];
  // Every relation of the schema with its live columns, in column order.
  const columns = await sql<ColumnRow>`
    select c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace                  -- only the target schema
      left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
       and c.relname <> all(${exclude}::text[])
     order by c.relname, a.attnum`.execute(db);
  // Primary, unique and foreign keys, with their columns in key order and the referenced table.
  const constraints = await sql<ConstraintRow>`
    select con.conname, con.contype, cl.relname,
           array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord) as columns,
           rn.nspname as ref_schema, rc.relname as ref_table,
           case when con.contype = 'f' then
             array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
                     join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord) end as ref_columns
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid                        -- the constrained table
      join pg_namespace n on n.oid = cl.relnamespace
      left join pg_class rc on rc.oid = con.confrelid                  -- the referenced table (foreign keys)
      left join pg_namespace rn on rn.oid = rc.relnamespace
     where n.nspname = ${schema} and con.contype in ('p', 'u', 'f') and not cl.relispartition
       and con.conparentid = 0 and cl.relname <> all(${exclude}::text[])
     order by cl.relname, con.conname`.execute(db);
  // Tables and views each view's rewrite rule depends on.
  const dependencies = await sql<DependencyRow>`
    select distinct v.relname as view, tn.nspname as table_schema, t.relname as table_name
      from pg_rewrite r
      join pg_class v on v.oid = r.ev_class                            -- the view
      join pg_namespace vn on vn.oid = v.relnamespace
      join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
      join pg_class t on t.oid = d.refobjid                            -- what it reads
      join pg_namespace tn on tn.oid = t.relnamespace
     where vn.nspname = ${schema} and v.relkind in ('v', 'm') and t.oid <> v.oid and t.relkind in ('r', 'p', 'v', 'm', 'f')
     order by 1, 2, 3`.execute(db);
  return buildErdModel(schema, columns.rows, constraints.rows, dependencies.rows, exclude);
}

/** Assembles the model from the query rows (pure). */
export function buildErdModel(
  schema: string,
  columnRows: readonly ColumnRow[],
  constraintRows: readonly ConstraintRow[],
  dependencyRows: readonly DependencyRow[],
  exclude: readonly string[] = [],
): ErdModel {
  const keyColumns = (type: ConstraintRow['contype']) => {
    const set = new Set<string>();
    for (const c of constraintRows) if (c.contype === type) for (const col of c.columns) set.add(`${c.relname}.${col}`);
    return set;
  };
  const pk = keyColumns('p');
  const fk = keyColumns('f');
  const uk = keyColumns('u');
  // format_type() qualifies a type of another schema as quote_ident() would.
  const ownPrefix = quoteIdentIfNeeded(schema);
  const byName = new Map<string, { kind: ErdEntityKind; columns: ErdColumn[] }>();
  for (const r of columnRows) {
    let e = byName.get(r.relname);
    if (!e) {
      e = { kind: KINDS[r.relkind] ?? 'table', columns: [] };
      byName.set(r.relname, e);
    }
    if (r.attname === null) continue;
    const key = `${r.relname}.${r.attname}`;
    // format_type qualifies the schema's own types (it is not on the search_path): drop that.
    const type = (r.type ?? '').startsWith(`${ownPrefix}.`) ? (r.type ?? '').slice(ownPrefix.length + 1) : (r.type ?? '');
    e.columns.push({ name: r.attname, type, nullable: !r.notnull, primaryKey: pk.has(key), foreignKey: fk.has(key), unique: uk.has(key) });
  }
  const nameOf = (refSchema: string, table: string) => (refSchema === schema ? table : `${refSchema}.${table}`);
  const external = new Set<string>();
  const relations: ErdRelation[] = [];
  const uniqueSets = new Set(constraintRows.filter((c) => c.contype !== 'f').map((c) => `${c.relname}:${[...c.columns].sort().join(',')}`));
  for (const c of constraintRows) {
    if (c.contype !== 'f' || c.ref_table === null || c.ref_schema === null) continue;
    const to = nameOf(c.ref_schema, c.ref_table);
    if (c.ref_schema !== schema) external.add(to);
    else if (!byName.has(to) && exclude.includes(to)) continue;
    const cols = byName.get(c.relname)?.columns ?? [];
    relations.push({
      kind: 'foreign-key',
      name: c.conname,
      from: c.relname,
      fromColumns: c.columns,
      to,
      toColumns: c.ref_columns ?? [],
      optional: c.columns.every((name) => cols.find((col) => col.name === name)?.nullable ?? false),
      oneToOne: uniqueSets.has(`${c.relname}:${[...c.columns].sort().join(',')}`),
    });
  }
  for (const d of dependencyRows) {
    const to = nameOf(d.table_schema, d.table_name);
    if (d.table_schema !== schema) external.add(to);
    else if (!byName.has(to)) continue;
    relations.push({ kind: 'view-source', name: `${d.view} -> ${to}`, from: d.view, fromColumns: [], to, toColumns: [], optional: true, oneToOne: false });
  }
  const order: Record<ErdEntityKind, number> = { table: 0, 'foreign table': 1, view: 2, 'materialized view': 2, external: 3 };
  const entities: ErdEntity[] = [...byName.entries()]
    .map(([name, e]) => ({ name, kind: e.kind, columns: e.columns }))
    .concat([...external].map((name) => ({ name, kind: 'external' as const, columns: [] })))
    .sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
  return { schema, entities, relations };
}

export type { ColumnRow, ConstraintRow, DependencyRow };

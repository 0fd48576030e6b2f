/**
 * Everything a schema holds, read from pg_catalog as PostgreSQL prints it back
 * (pg_get_viewdef, pg_get_functiondef, pg_get_constraintdef, ...), with the
 * schema's name replaced by `<schema>` so that two schemas compare equal.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';

export interface SchemaInventory {
  readonly relations: readonly string[];
  readonly columns: readonly string[];
  readonly constraints: readonly string[];
  readonly indexes: readonly string[];
  readonly views: readonly string[];
  readonly functions: readonly string[];
  readonly triggers: readonly string[];
  readonly types: readonly string[];
  readonly sequences: readonly string[];
}

type Row = Record<string, unknown>;

/** Reads the inventory of `schema`. Runs with search_path = pg_catalog so that every name comes out qualified. */
export async function schemaInventory(db: Kysely<any>, schema: string): Promise<SchemaInventory> {
  return db.connection().execute(async (conn) => {
    const { rows: saved } = await sql<{ p: string }>`select current_setting('search_path') as p`.execute(conn);
    await sql`set search_path to pg_catalog`.execute(conn);
    try {
      const q = async (query: ReturnType<typeof sql>): Promise<string[]> => {
        const { rows } = await query.execute(conn);
        return (rows as Row[]).map((r) => normalise(JSON.stringify(r), schema)).sort();
      };
      const ns = sql`(select oid from pg_namespace where nspname = ${schema})`;
      return {
        relations: await q(sql`
          select c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner) as owner,
                 c.relacl::text as acl, obj_description(c.oid, 'pg_class') as comment
          from pg_class c where c.relnamespace = ${ns}`),
        columns: await q(sql`
          select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull,
                 pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity, a.attgenerated, a.attcollation,
                 col_description(c.oid, a.attnum) as comment, a.attacl::text as acl,
                 -- position among live columns: the rank, so dropped columns do not count
                 rank() over (partition by c.oid order by a.attnum) as position
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid                                -- the column's relation
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum -- its default
          where c.relnamespace = ${ns} and c.relkind in ('r', 'v', 'm', 'p', 'f') and a.attnum > 0 and not a.attisdropped`),
        constraints: await q(sql`
          select c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) as def, k.condeferrable, k.condeferred,
                 obj_description(k.oid, 'pg_constraint') as comment
          from pg_constraint k join pg_class c on c.oid = k.conrelid              -- constraints of relations
          where k.connamespace = ${ns}`),
        indexes: await q(sql`
          select i.relname, pg_get_indexdef(i.oid) as def, obj_description(i.oid, 'pg_class') as comment
          from pg_index x join pg_class i on i.oid = x.indexrelid                   -- the index relation
          where i.relnamespace = ${ns}`),
        views: await q(sql`
          select c.relname, c.relkind, pg_get_viewdef(c.oid, true) as def
          from pg_class c where c.relnamespace = ${ns} and c.relkind in ('v', 'm')`),
        functions: await q(sql`
          select p.proname, pg_get_function_identity_arguments(p.oid) as args, pg_get_functiondef(p.oid) as def,
                 pg_get_userbyid(p.proowner) as owner, p.proacl::text as acl, obj_description(p.oid, 'pg_proc') as comment
          from pg_proc p where p.pronamespace = ${ns} and p.prokind in ('f', 'p')`),
        triggers: await q(sql`
          select t.tgname, c.relname, pg_get_triggerdef(t.oid) as def, t.tgenabled, obj_description(t.oid, 'pg_trigger') as comment
          from pg_trigger t join pg_class c on c.oid = t.tgrelid                   -- the trigger's table
          where c.relnamespace = ${ns} and not t.tgisinternal`),
        types: await q(sql`
          select t.typname, t.typtype, pg_get_userbyid(t.typowner) as owner, obj_description(t.oid, 'pg_type') as comment,
                 (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels
          from pg_type t
          where t.typnamespace = ${ns} and t.typtype in ('e', 'd', 'r', 'm')`),
        sequences: await q(sql`
          select c.relname, format_type(s.seqtypid, null) as type, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                 s.seqcache, s.seqcycle,
                 (select r.relname || '.' || a.attname || ':' || d.deptype::text
                  from pg_depend d                                                      -- owned by (auto) or identity (internal)
                  join pg_class r on r.oid = d.refobjid
                  join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')) as owned_by
          from pg_sequence s join pg_class c on c.oid = s.seqrelid
          where c.relnamespace = ${ns}`),
      };
    } finally {
      await sql`select set_config('search_path', ${saved[0]!.p}, false)`.execute(conn);
    }
  });
}

/** Whether a schema holds nothing at all (relations, functions, types). */
export function isEmpty(inventory: SchemaInventory): boolean {
  return Object.values(inventory).every((list: readonly string[]) => list.length === 0);
}

function normalise(text: string, schema: string): string {
  return text.split(schema).join('<schema>');
}

const run = promisify(execFile);

/** `pg_dump --schema-only` of one schema, with the schema name and the session noise normalised. */
export async function dumpSchema(url: string, schema: string): Promise<string> {
  const args = ['--schema-only', '--quote-all-identifiers', `--schema="${schema}"`, url];
  const { stdout } = await run('pg_dump', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => !/^\\(un)?restrict /.test(line) && !/^-- Dumped (from|by)/.test(line))
    .map((line) => normalise(line, schema))
    .join('\n');
}

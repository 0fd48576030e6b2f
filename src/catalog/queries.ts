/**
 * The bulk pg_catalog queries that read one schema. Each query returns every object of
 * one family for the whole schema (never one query per table), in no particular order. `$1`
 * is always the schema's namespace oid; the reader runs them with `search_path` set to that
 * schema so that `format_type`, `pg_get_expr` and `pg_get_*def` leave its own objects unqualified.
 *
 * Objects that belong to an extension (pg_depend deptype 'e') are listed by
 * `extensionMembersQuery` (with the other dependency queries in `dependency-queries.ts`) and
 * left out when the rows are assembled; comments come from one query over pg_description
 * ({@link commentsQuery}) rather than a join per family.
 */

/** Privileges beyond / short of the default ACL, as json `{granted:[...], revoked:[...]}`. */
function grantsColumn(acl: string, kindSql: string, owner: string): string {
  const explode = (expr: string) =>
    `select ${roleName('a.grantee')} as grantee,
            a.privilege_type as privilege, a.is_grantable as grantable
       from aclexplode(${expr}) a`;
  const current = explode(acl);
  const fallback = explode(`acldefault(${kindSql}, ${owner})`);
  return `case when ${acl} is null then null else json_build_object(
      'granted', (select coalesce(json_agg(g), '[]') from (${current} except ${fallback}) g),
      'revoked', (select coalesce(json_agg(g), '[]') from (${fallback} except ${current}) g)) end`;
}

/**
 * A grantee: `PUBLIC`, null for the role reading the catalog (the snapshot's READER_ROLE, set
 * when the rows are assembled: SQL text cannot carry the sentinel), else the role's name.
 */
function roleName(oid: string): string {
  return `case when ${oid} = 0 then 'PUBLIC'
               when ${oid} = (select oid from pg_roles where rolname = current_user) then null
               else pg_get_userbyid(${oid}) end`;
}

/** The owner's name, or null when it is the role reading the catalog. */
function ownerColumn(owner: string): string {
  return `case when ${owner} = (select oid from pg_roles where rolname = current_user) then null else pg_get_userbyid(${owner}) end`;
}

/**
 * The columns of an index as PostgreSQL names them when it chooses the index's name: a
 * column's current name (the index's own attribute keeps the name it had when the index was
 * built), an expression's name (`lower`, `expr`) as the index recorded it.
 */
function indexColumnNames(index: string): string {
  return `array(select coalesce(ta.attname, ia.attname)
                  from pg_attribute ia
                  join pg_index x on x.indexrelid = ia.attrelid
                  left join pg_attribute ta on ta.attrelid = x.indrelid and ta.attnum = x.indkey[ia.attnum - 1] and ta.attnum > 0
                 where ia.attrelid = ${index} and ia.attnum > 0
                 order by ia.attnum)::text[]`;
}

/** Collation reference as a column or domain would spell it relative to the schema. */
function collationName(collation: string, namespace: string): string {
  return `case when ${collation}.oid is null then null
               when ${collation}.collnamespace = $1 or ${namespace}.nspname = 'pg_catalog' then quote_ident(${collation}.collname)
               else quote_ident(${namespace}.nspname) || '.' || quote_ident(${collation}.collname) end`;
}

/**
 * The schema's oid and the server's version; when the schema exists, also sets `search_path`
 * to it and turns JIT and parallel query off for the rest of the transaction.
 */
export const namespaceQuery = `
select n.oid::text as oid, current_setting('server_version_num')::int as version,
       set_config('search_path', quote_ident(n.nspname), true) as search_path,
       set_config('jit', 'off', true) as jit,
       -- parallel workers cost more to start than these queries take
       set_config('max_parallel_workers_per_gather', '0', true) as parallel
  from pg_namespace n
 where n.nspname = $1`;

export const relationsQuery = `
select c.oid::text as oid,
       c.relname as name,
       c.relkind as kind,
       c.relpersistence as persistence,
       c.relrowsecurity as row_security,
       c.relforcerowsecurity as force_row_security,
       coalesce(c.reloptions, '{}')::text[] as options,
       c.reltype::text as type_oid,
       rt.typarray::text as array_type_oid,
       case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
       c.relreplident as replica_identity,
       case when c.relreplident = 'i' then
         (select ic.relname from pg_index i join pg_class ic on ic.oid = i.indexrelid
           where i.indrelid = c.oid and i.indisreplident) end as replica_identity_index,
       ${ownerColumn('c.relowner')} as owner,
       case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
       case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as view_definition,
       ${grantsColumn('c.relacl', `(case when c.relkind = 'S' then 's' else 'r' end)::"char"`, 'c.relowner')} as grants
  from pg_class c
  -- the composite row type every table and view has, for its array type's oid
  left join pg_type rt on rt.oid = c.reltype
 where c.relnamespace = $1
   and c.relkind in ('r', 'p', 'v', 'm', 'S')
   -- the version tables belong to the migration tool, not to the schema's design
   and c.relname not in ('alembic_version', 'alembic_version_history')`;

/** Parent tables: partition parents (relispartition) and INHERITS parents, with their order. */
export const inheritsQuery = `
select i.inhrelid::text as oid,
       i.inhseqno as seqno,
       case when p.relnamespace <> $1 then pn.nspname end as parent_schema,
       p.relname as parent,
       c.relispartition as partition
  from pg_inherits i
  -- the child, to keep only tables (not indexes) of this schema
  join pg_class c on c.oid = i.inhrelid
  -- the parent and its schema, qualified when it is another schema
  join pg_class p on p.oid = i.inhparent
  join pg_namespace pn on pn.oid = p.relnamespace
 where c.relnamespace = $1 and c.relkind in ('r', 'p')`;

export const columnsQuery = `
select a.attrelid::text as rel_oid,
       a.attname as name,
       a.attnum as attnum,
       format_type(a.atttypid, a.atttypmod) as type,
       (t.typtype = 'e' or (t.typcategory = 'A' and exists (select 1 from pg_type et where et.oid = t.typelem and et.typtype = 'e'))) as enum_type,
       -- looked up only for the few columns with a collation of their own
       case when a.attcollation <> t.typcollation then
         (select ${collationName('co', 'cn')} from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
           where co.oid = a.attcollation) end as collation,
       a.attnotnull as not_null,
       -- a default cannot refer to columns: deparsing it without the relation saves opening it
       case when a.attgenerated = '' then pg_get_expr(ad.adbin, 0) end as "default",
       case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
       a.attidentity as identity,
       a.attinhcount > 0 as inherited,
       a.attislocal as local,
       case when a.attacl is null then null else json_build_object(
         'granted', (select coalesce(json_agg(g), '[]') from (
            select ${roleName('x.grantee')} as grantee,
                   x.privilege_type as privilege, x.is_grantable as grantable
              from aclexplode(a.attacl) x) g),
         'revoked', '[]'::json) end as grants
  from pg_attribute a
  -- only columns of this schema's tables and views
  join pg_class c on c.oid = a.attrelid
  -- the column's type: enum detection and its default collation
  join pg_type t on t.oid = a.atttypid
  -- the default or generation expression
  left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
 where c.relnamespace = $1
   and c.relkind in ('r', 'p', 'v', 'm')
   and a.attnum > 0
   and not a.attisdropped`;

export const sequencesQuery = `
select c.oid::text as oid,
       c.relname as name,
       format_type(s.seqtypid, null) as data_type,
       s.seqstart::text as start,
       s.seqincrement::text as increment,
       s.seqmin::text as min_value,
       s.seqmax::text as max_value,
       s.seqcache::text as cache,
       s.seqcycle as cycle,
       dep.deptype as owner_kind,
       dep.refobjid::text as owner_oid,
       case when oc.relnamespace = $1 then oc.relname end as owner_table,
       oa.attname as owner_column
  from pg_sequence s
  -- the sequence's relation (name, schema)
  join pg_class c on c.oid = s.seqrelid
  -- OWNED BY (deptype 'a', serial columns) or identity (deptype 'i') link to a column
  left join pg_depend dep on dep.classid = 'pg_class'::regclass and dep.objid = c.oid
        and dep.refclassid = 'pg_class'::regclass and dep.refobjsubid > 0 and dep.deptype in ('a', 'i')
  -- the owning table and column
  left join pg_class oc on oc.oid = dep.refobjid
  left join pg_attribute oa on oa.attrelid = dep.refobjid and oa.attnum = dep.refobjsubid
 where c.relnamespace = $1`;

export const constraintsQuery = `
select con.oid::text as oid,
       con.conrelid::text as rel_oid,
       con.conname as name,
       con.contype as type,
       pg_get_constraintdef(con.oid) as definition,
       coalesce(con.conkey, '{}') as column_numbers,
       -- a unique or exclusion constraint's name is made of its index's columns (INCLUDE too)
       case when con.contype in ('u', 'x') then ${indexColumnNames('con.conindid')} end as index_columns,
       case when fc.relnamespace <> $1 then fn.nspname end as references_schema,
       fc.relname as "references",
       case when con.contype in ('p', 'u', 'x') then con.conindid::text end as index_oid,
       pc.conname as attached_to
  from pg_constraint con
  -- the constrained table, to keep this schema's
  join pg_class c on c.oid = con.conrelid
  -- the referenced table of a foreign key and its schema
  left join pg_class fc on fc.oid = con.confrelid
  left join pg_namespace fn on fn.oid = fc.relnamespace
  -- the partitioned parent's constraint a partition's constraint belongs to
  left join pg_constraint pc on pc.oid = con.conparentid
 where c.relnamespace = $1
   and con.contype in ('p', 'u', 'f', 'c', 'x')
   -- inherited check constraints come with INHERITS and PARTITION OF; a partition's primary
   -- key, unique and exclusion constraints and its copies of foreign keys are read (their
   -- names are their own), but not the copies a foreign key to a partitioned table makes on
   -- its own table for each referenced partition
   and ((con.conislocal and con.conparentid = 0)
        or (con.conparentid <> 0 and con.contype in ('p', 'u', 'x'))
        or (con.conparentid <> 0 and con.contype = 'f' and pc.conrelid <> con.conrelid))`;

export const indexesQuery = `
select i.indexrelid::text as oid,
       i.indrelid::text as rel_oid,
       ic.relname as name,
       i.indisunique as "unique",
       pg_get_indexdef(i.indexrelid) as definition,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) as qualified_table,
       ${indexColumnNames('i.indexrelid')} as columns,
       pi.relname as attached_to
  from pg_index i
  -- the index relation (its name)
  join pg_class ic on ic.oid = i.indexrelid
  -- the indexed table and its schema (pg_get_indexdef always qualifies it)
  join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
  -- the partitioned parent's index a partition's index is attached to
  left join pg_inherits inh on ic.relispartition and inh.inhrelid = i.indexrelid
  left join pg_class pi on pi.oid = inh.inhparent
 where c.relnamespace = $1
   -- indexes that back a primary key, unique or exclusion constraint come with the constraint
   and not exists (select 1 from pg_constraint con
                    where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))`;

export const triggersQuery = (version: number) => `
select t.oid::text as oid,
       t.tgrelid::text as rel_oid,
       t.tgname as name,
       pg_get_triggerdef(t.oid) as definition,
       t.tgenabled as enabled,
       t.tgconstraint <> 0 as is_constraint,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) as qualified_table
  from pg_trigger t
  -- the table or view the trigger is on, and its schema (pg_get_triggerdef qualifies it)
  join pg_class c on c.oid = t.tgrelid
  join pg_namespace n on n.oid = c.relnamespace
 where c.relnamespace = $1
   and not t.tgisinternal
   ${version >= 130000 ? "-- clones of a partitioned table's trigger come with the parent's\n   and t.tgparentid = 0" : ''}`;

export const policiesQuery = `
select pol.oid::text as oid,
       pol.polrelid::text as rel_oid,
       pol.polname as name,
       pol.polpermissive as permissive,
       pol.polcmd as command,
       array(select ${roleName('r')}
               from unnest(pol.polroles) r order by 1)::text[] as roles,
       pg_get_expr(pol.polqual, pol.polrelid) as using,
       pg_get_expr(pol.polwithcheck, pol.polrelid) as with_check
  from pg_policy pol
  -- the policy's table, to keep this schema's
  join pg_class c on c.oid = pol.polrelid
 where c.relnamespace = $1`;

export const typesQuery = `
select t.oid::text as oid,
       t.typname as name,
       t.typtype as kind,
       t.typarray::text as array_type_oid,
       case when t.typtype = 'e' then
         array(select e.enumlabel from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)::text[] end as labels,
       case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base_type,
       ${ownerColumn('t.typowner')} as owner,
       t.typnotnull as not_null,
       t.typdefault as "default",
       case when t.typtype = 'd' and t.typcollation <> bt.typcollation then ${collationName('co', 'cn')} end as collation,
       ${grantsColumn('t.typacl', `'T'`, 't.typowner')} as grants
  from pg_type t
  -- a domain's base type, for its default collation
  left join pg_type bt on bt.oid = t.typbasetype
  -- a domain's explicit collation and its schema
  left join pg_collation co on co.oid = t.typcollation
  left join pg_namespace cn on cn.oid = co.collnamespace
 where t.typnamespace = $1
   and t.typtype in ('e', 'd')`;

export const domainConstraintsQuery = `
select con.oid::text as oid,
       con.contypid::text as type_oid,
       con.conname as name,
       pg_get_constraintdef(con.oid) as definition
  from pg_constraint con
  -- the domain, to keep this schema's
  join pg_type t on t.oid = con.contypid
 where t.typnamespace = $1
 order by con.conname`;

export const routinesQuery = `
select p.oid::text as oid,
       p.proname as name,
       p.prokind as kind,
       oidvectortypes(p.proargtypes) as argument_types,
       pg_get_function_identity_arguments(p.oid) as identity_arguments,
       pg_get_function_arguments(p.oid) as arguments,
       case when p.prokind <> 'p' then pg_get_function_result(p.oid) end as result,
       l.lanname as language,
       not l.lanpltrusted as privileged,
       ${ownerColumn('p.proowner')} as owner,
       p.provolatile as volatility,
       p.proisstrict as strict,
       p.prosecdef as security_definer,
       pg_get_functiondef(p.oid) as definition,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) as qualified_name,
       ${grantsColumn('p.proacl', `'f'`, 'p.proowner')} as grants
  from pg_proc p
  -- the routine's language
  join pg_language l on l.oid = p.prolang
  -- its schema (pg_get_functiondef always qualifies the name)
  join pg_namespace n on n.oid = p.pronamespace
 where p.pronamespace = $1
   and p.prokind in ('f', 'p', 'w')`;

export const collationsQuery = `
select co.oid::text as oid,
       co.collname as name,
       co.collprovider as provider,
       co.collcollate as lc_collate,
       co.collctype as lc_ctype,
       coalesce(to_jsonb(co) ->> 'colliculocale', to_jsonb(co) ->> 'colllocale') as locale,
       co.collisdeterministic as deterministic
  from pg_collation co
 where co.collnamespace = $1`;

export const extensionsQuery = `
with available as materialized (
  -- reads every extension's control file: done once, and only if an extension needs it
  select v.name, v.version, v.superuser, v.trusted from pg_available_extension_versions v
)
select x.oid::text as oid,
       x.extname as name,
       x.extversion as version,
       x.extnamespace = $1 as own,
       -- only a superuser may create it: not marked trusted, and it asks for a superuser
       -- (plpgsql, in every database, is trusted)
       x.extname <> 'plpgsql' and coalesce((select a.superuser and not a.trusted from available a
                  where a.name = x.extname and a.version = x.extversion), false) as privileged,
       n.nspname as schema
  from pg_extension x
  -- the schema the extension is installed in
  join pg_namespace n on n.oid = x.extnamespace`;

/** Comments on the schema's objects (columns have objsubid > 0). */
export const commentsQuery = `
select d.classoid::regclass::text as class,
       d.objoid::text as oid,
       d.objsubid as sub,
       d.description as comment
  from pg_description d
 where (d.classoid = 'pg_class'::regclass and d.objoid in (select oid from pg_class where relnamespace = $1))
    or (d.classoid = 'pg_constraint'::regclass and d.objoid in (select oid from pg_constraint where connamespace = $1))
    or (d.classoid = 'pg_type'::regclass and d.objoid in (select oid from pg_type where typnamespace = $1))
    or (d.classoid = 'pg_proc'::regclass and d.objoid in (select oid from pg_proc where pronamespace = $1))
    or (d.classoid = 'pg_collation'::regclass and d.objoid in (select oid from pg_collation where collnamespace = $1))
    -- triggers and policies through their table
    or (d.classoid = 'pg_trigger'::regclass
        and d.objoid in (select t.oid from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = $1))
    or (d.classoid = 'pg_policy'::regclass
        and d.objoid in (select p.oid from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = $1))`;

/**
 * The catalog queries about dependencies: what the schema's objects depend on, which objects
 * belong to extensions, and which objects of other schemas depend on this one's. `$1` is the
 * schema's namespace oid, as in `queries.ts`.
 */

/**
 * What every object of the schema depends on (pg_depend; a view's dependencies hang off its
 * pg_rewrite rule).
 */
export const dependenciesQuery = `
with objects(classid, objid, relid, attnum) as (
  -- tables, views and plain indexes (sequences only depend on their owner, kept apart; the
  -- indexes of constraints are represented by their constraint)
  select 'pg_class'::regclass, c.oid, c.oid, 0::int2
    from pg_class c
   where c.relnamespace = $1 and c.relkind in ('r', 'p', 'v', 'm', 'i', 'I')
     and c.oid not in (select conindid from pg_constraint where contype in ('p', 'u', 'x'))
  union all
  -- enums and domains (not the row and array types that come with every table)
  select 'pg_type'::regclass, t.oid, 0::oid, 0::int2 from pg_type t where t.typnamespace = $1 and t.typtype in ('e', 'd')
  union all
  select 'pg_proc'::regclass, p.oid, 0::oid, 0::int2 from pg_proc p where p.pronamespace = $1
  union all
  select 'pg_constraint'::regclass, con.oid, con.conrelid, 0::int2 from pg_constraint con where con.connamespace = $1
  union all
  -- a view's query is its _RETURN rule, which belongs to the view
  select 'pg_rewrite'::regclass, r.oid, r.ev_class, 0::int2
    from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace = $1 and c.relkind in ('v', 'm')
  union all
  -- column defaults, through their table
  select 'pg_attrdef'::regclass, ad.oid, ad.adrelid, ad.adnum
    from pg_attrdef ad join pg_class c on c.oid = ad.adrelid where c.relnamespace = $1 and c.relkind in ('r', 'p')
  union all
  -- user triggers (not the internal ones of foreign keys), through their table
  select 'pg_trigger'::regclass, tg.oid, tg.tgrelid, 0::int2
    from pg_trigger tg join pg_class c on c.oid = tg.tgrelid where c.relnamespace = $1 and c.relkind in ('r', 'p', 'v') and not tg.tgisinternal
  union all
  -- policies, through their table
  select 'pg_policy'::regclass, pol.oid, pol.polrelid, 0::int2
    from pg_policy pol join pg_class c on c.oid = pol.polrelid where c.relnamespace = $1
)
select d.classid::regclass::text as class,
       d.objid::text as oid,
       d.objsubid as sub,
       o.relid::text as relid,
       o.attnum as attnum,
       d.refclassid::regclass::text as ref_class,
       d.refobjid::text as ref_oid,
       d.refobjsubid as ref_sub,
       d.deptype as kind
  from objects o
  -- what the object depends on
  join pg_depend d on d.classid = o.classid and d.objid = o.objid
 where d.deptype in ('n', 'a', 'i')
   -- every object depends on its schema: nothing to order by
   and d.refclassid <> 'pg_namespace'::regclass
   -- a routine depends on its language, which belongs to an extension (plpython3u): the
   -- snapshot lists that extension as used; plpgsql is in every database
   and not (d.refclassid = 'pg_language'::regclass and d.refobjid in (select oid from pg_language where lanname = 'plpgsql'))
   -- an object's dependency on its own relation (a view's rule, a default's or a
   -- constraint's own columns) is structure the snapshot already has
   and not (d.refclassid = 'pg_class'::regclass and d.refobjid = o.relid
            and d.classid in ('pg_rewrite'::regclass, 'pg_attrdef'::regclass, 'pg_constraint'::regclass)
            and (d.classid <> 'pg_attrdef'::regclass or d.refobjsubid = o.attnum))`;

/**
 * Objects of other schemas that depend on this schema's objects: a view over one of its
 * tables, a foreign key to one of them, a partition or child table of one, a column of one of
 * its types, a function or trigger calling one of its functions, a default using one of its
 * sequences. Only the user's schemas are looked at (not pg_catalog, information_schema or
 * temporary ones).
 *
 * Two ways to find them, one chosen at run time: where the other schemas hold few relations
 * (a database of one schema, the usual case), their objects' dependencies are looked up one by
 * one, which costs next to nothing; otherwise this schema's objects' dependants are scanned
 * and the ones that are not this schema's kept, a cost bound by this schema's size rather than
 * by the other schemas'.
 */
export const outsideDependantsQuery = `
with others as materialized (
  select n.oid from pg_namespace n
   where n.oid <> $1 and n.nspname not in ('pg_catalog', 'information_schema')
     and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
), other_relations as materialized (
  select c.oid from pg_class c where c.relnamespace in (select oid from others)
), few as materialized (
  select count(*) < 2000 as yes from other_relations
), outside(classid, objid, objsubid, refclassid, refobjid, refobjsubid) as (
  -- few: from each object of the other schemas to what it depends on here
  select d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid
    from (select 'pg_class'::regclass::oid as classid, oid as objid from other_relations
          -- a view depends through its rule, a default through pg_attrdef, ...
          union all select 'pg_rewrite'::regclass, r.oid from pg_rewrite r where r.ev_class in (select oid from other_relations)
          union all select 'pg_attrdef'::regclass, ad.oid from pg_attrdef ad where ad.adrelid in (select oid from other_relations)
          union all select 'pg_trigger'::regclass, tg.oid from pg_trigger tg where tg.tgrelid in (select oid from other_relations) and not tg.tgisinternal
          union all select 'pg_policy'::regclass, pol.oid from pg_policy pol where pol.polrelid in (select oid from other_relations)
          union all select 'pg_constraint'::regclass, con.oid from pg_constraint con where con.connamespace in (select oid from others)
          union all select 'pg_proc'::regclass, p.oid from pg_proc p where p.pronamespace in (select oid from others)
          union all select 'pg_type'::regclass, t.oid from pg_type t where t.typnamespace in (select oid from others)) x
    join pg_depend d on d.classid = x.classid and d.objid = x.objid
   where (select yes from few)
     and d.deptype in ('n', 'a')
     and case d.refclassid
           when 'pg_class'::regclass then exists (select 1 from pg_class r where r.oid = d.refobjid and r.relnamespace = $1)
           when 'pg_type'::regclass then exists (select 1 from pg_type r where r.oid = d.refobjid and r.typnamespace = $1)
           when 'pg_proc'::regclass then exists (select 1 from pg_proc r where r.oid = d.refobjid and r.pronamespace = $1)
           when 'pg_constraint'::regclass then exists (select 1 from pg_constraint r where r.oid = d.refobjid and r.connamespace = $1)
           else false end
  union all
  -- many: from each dependency on an object here, keeping the dependants that are not here
  select d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid
    from pg_depend d
   where not (select yes from few)
     and d.deptype in ('n', 'a')
     and case d.refclassid
           when 'pg_class'::regclass then d.refobjid in (select oid from pg_class where relnamespace = $1)
           when 'pg_type'::regclass then d.refobjid in (select oid from pg_type where typnamespace = $1)
           when 'pg_proc'::regclass then d.refobjid in (select oid from pg_proc where pronamespace = $1)
           when 'pg_constraint'::regclass then d.refobjid in (select oid from pg_constraint where connamespace = $1)
           else false end
     and case d.classid
           when 'pg_class'::regclass then d.objid not in (select oid from pg_class where relnamespace = $1)
           when 'pg_type'::regclass then d.objid not in (select oid from pg_type where typnamespace = $1)
           when 'pg_proc'::regclass then d.objid not in (select oid from pg_proc where pronamespace = $1)
           when 'pg_constraint'::regclass then d.objid not in (select oid from pg_constraint where connamespace = $1)
           when 'pg_rewrite'::regclass then d.objid not in (select r.oid from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace = $1)
           when 'pg_attrdef'::regclass then d.objid not in (select a.oid from pg_attrdef a join pg_class c on c.oid = a.adrelid where c.relnamespace = $1)
           when 'pg_trigger'::regclass then d.objid not in (select t.oid from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = $1)
           when 'pg_policy'::regclass then d.objid not in (select p.oid from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = $1)
           else false end
)
select x.refclassid::regclass::text as ref_class,
       x.refobjid::text as ref_oid,
       x.refobjsubid as ref_sub,
       o.schema,
       o.type as kind,
       pg_describe_object(x.classid, x.objid, x.objsubid) as description
  from outside x
  -- its schema and kind (a rule stands for its view)
  cross join lateral pg_identify_object(
    case when x.classid = 'pg_rewrite'::regclass then 'pg_class'::regclass else x.classid end,
    case when x.classid = 'pg_rewrite'::regclass then (select ev_class from pg_rewrite where oid = x.objid) else x.objid end,
    case when x.classid = 'pg_rewrite'::regclass then 0 else x.objsubid end) o
 where o.schema is not null and o.schema not in ('pg_catalog', 'information_schema')`;

/** Every object that belongs to an extension, in any schema (a few hundred rows at most). */
export const extensionMembersQuery = `
select d.classid::regclass::text as class,
       d.objid::text as oid,
       x.extname as extension
  from pg_depend d
  -- the extension the object belongs to
  join pg_extension x on x.oid = d.refobjid
 where d.deptype = 'e' and d.refclassid = 'pg_extension'::regclass`;

import { CompiledQuery, type Kysely } from 'kysely';
import type { OutsideReference } from '../operations/outside-references';

/**
 * The outside objects (see `outsideReferences`) a database lacks, in one query.
 *
 * @example
 * ```ts
 * const missing = await missingOutsideObjects(db, outsideReferences(operations));
 * // [{ kind: 'relation', schema: 'ref', name: 'country' }]
 * ```
 */
export async function missingOutsideObjects(db: Kysely<any>, refs: readonly OutsideReference[]): Promise<OutsideReference[]> {
  if (refs.length === 0) return [];
  const query = CompiledQuery.raw(
    `select r.n::int as n
       from unnest($1::text[], $2::text[], $3::text[]) with ordinality as r(kind, schema, name, n)
      where case r.kind
              when 'relation' then to_regclass(format('%I.%I', r.schema, r.name)) is null
              when 'type' then to_regtype(format('%I.%I', r.schema, r.name)) is null
              else not exists (select 1 from pg_namespace where nspname = r.schema)
            end`,
    [refs.map((r) => r.kind), refs.map((r) => r.schema), refs.map((r) => r.name ?? '')],
  );
  const { rows } = await db.executeQuery<{ n: number }>(query);
  return rows.map((r) => refs[r.n - 1]!);
}

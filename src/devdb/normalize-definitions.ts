/**
 * Normal forms of definitions through PostgreSQL itself: each text is created in a scratch schema
 * that holds the wanted schema's objects, read back, and created again until it stops changing.
 * The diff's `normalize` option then compares those forms, so a view whose text PostgreSQL does
 * not print as a fixpoint (a varchar compared with an IN list) is not re-created forever. Only
 * the few texts `textualDifferences` lists go through it.
 */
import { sql, type Kysely } from 'kysely';
import type { DefinitionDifference, DefinitionKind, Normalize } from '../diff/definition-differences';
import { quoteIdent } from '../schema/sql-text';

/** Enough rounds: PostgreSQL's deparse settles after one or two. */
const ROUNDS = 5;

/**
 * Sends each text of `differences` (both sides) through the scratch schema `schema` of `db`
 * (a session whose `search_path` is that schema) and returns the lookup the diff takes. A text
 * that does not build there (it names something the scratch schema lacks) keeps its own text:
 * such definitions really differ.
 *
 * @example
 * ```ts
 * const normalize = await normalizeDefinitions(scratch.db, scratch.schema, textualDifferences(current, wanted));
 * diffSnapshots(current, wanted, { normalize });
 * ```
 */
export async function normalizeDefinitions(db: Kysely<any>, schema: string, differences: readonly DefinitionDifference[]): Promise<Normalize> {
  const normal = new Map<string, string>();
  // Everything it creates is rolled back: one transaction, a savepoint per attempt.
  await sql`begin`.execute(db);
  try {
    for (const d of differences) {
      for (const text of [d.from, d.to]) {
        const key = `${d.kind}\u0000${d.table ?? ''}\u0000${d.column ?? ''}\u0000${text}`;
        if (!normal.has(key)) normal.set(key, await normalForm(db, schema, d, text));
      }
    }
  } finally {
    await sql`rollback`.execute(db).catch(() => undefined);
  }
  return (kind: DefinitionKind, text: string) => {
    for (const d of differences) {
      if (d.kind !== kind || (d.from !== text && d.to !== text)) continue;
      const found = normal.get(`${d.kind}\u0000${d.table ?? ''}\u0000${d.column ?? ''}\u0000${text}`);
      if (found !== undefined) return found;
    }
    return text;
  };
}

async function normalForm(db: Kysely<any>, schema: string, d: DefinitionDifference, text: string): Promise<string> {
  let current = text;
  for (let round = 0; round < ROUNDS; round++) {
    const next = await oneRound(db, schema, d, current);
    if (next === undefined || next === current) return next ?? text;
    current = next;
  }
  return current;
}

/** Creates the definition once (inside a savepoint, always rolled back) and reads it back. */
async function oneRound(db: Kysely<any>, schema: string, d: DefinitionDifference, text: string): Promise<string | undefined> {
  await sql`savepoint retort_normal`.execute(db);
  try {
    return await build(db, schema, d, text);
  } catch {
    return undefined;
  } finally {
    await sql`rollback to savepoint retort_normal`.execute(db).catch(() => undefined);
  }
}

async function build(db: Kysely<any>, schema: string, d: DefinitionDifference, text: string): Promise<string | undefined> {
  const body = text.replace(/;\s*$/, '');
  switch (d.kind) {
    case 'view':
    case 'materialized view': {
      // a materialized view's query deparses as a view's does
      await sql`create view ${sql.id(schema, 'retort_normal')} as ${sql.raw(body)}`.execute(db);
      const r = await sql<{ def: string }>`select pg_get_viewdef(${`${quoteIdent(schema)}.retort_normal`}::regclass) as def`.execute(db);
      return r.rows[0]!.def;
    }
    case 'check':
    case 'default':
    case 'index': {
      if (d.table === null) return undefined;
      await sql`create table ${sql.id(schema, 'retort_normal')} (like ${sql.id(schema, d.table)})`.execute(db);
      const table = `${quoteIdent(schema)}.retort_normal`;
      if (d.kind === 'check') {
        // the copy is empty: the check is validated at once, and a NOT VALID in the text stays
        await sql`alter table ${sql.id(schema, 'retort_normal')} add constraint retort_normal ${sql.raw(body)}`.execute(db);
        const r = await sql<{
          def: string;
        }>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ${table}::regclass and conname = 'retort_normal'`.execute(db);
        return r.rows[0]!.def;
      }
      if (d.kind === 'default') {
        if (d.column === null) return undefined;
        await sql`alter table ${sql.id(schema, 'retort_normal')} alter column ${sql.id(d.column)} set default ${sql.raw(body)}`.execute(db);
        const r = await sql<{ def: string }>`select pg_get_expr(adbin, 0) as def from pg_attrdef
          where adrelid = ${table}::regclass and adnum = (select attnum from pg_attribute where attrelid = ${table}::regclass and attname = ${d.column})`.execute(
          db,
        );
        return r.rows[0]!.def;
      }
      await sql`create index retort_normal_idx on ${sql.id(schema, 'retort_normal')} using ${sql.raw(body)}`.execute(db);
      const r = await sql<{ def: string }>`select pg_get_indexdef(${`${quoteIdent(schema)}.retort_normal_idx`}::regclass) as def`.execute(db);
      const def = r.rows[0]!.def;
      const at = def.indexOf(' USING ');
      return at < 0 ? undefined : def.slice(at + 7);
    }
    case 'policy using':
    case 'policy check':
      return undefined;
  }
}

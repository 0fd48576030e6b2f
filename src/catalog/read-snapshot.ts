import { CompiledQuery, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';
import type { Snapshot } from '../schema/snapshot';
import { emptySnapshot } from '../schema/snapshot';
import { buildSnapshot } from './build-snapshot';
import type { CatalogRows } from './catalog-rows';
import {
  collationsQuery,
  columnsQuery,
  commentsQuery,
  constraintsQuery,
  dependenciesQuery,
  domainConstraintsQuery,
  extensionMembersQuery,
  extensionsQuery,
  indexesQuery,
  inheritsQuery,
  namespaceQuery,
  outsideDependantsQuery,
  policiesQuery,
  relationsQuery,
  routinesQuery,
  sequencesQuery,
  triggersQuery,
  typesQuery,
} from './queries';

/**
 * Reads one schema into a {@link Snapshot} with a fixed handful of bulk catalog queries,
 * inside one read-only, repeatable-read transaction whose `search_path` is the schema
 * (so its own objects come back unqualified). A schema that does not exist reads as empty.
 *
 * @example
 * ```ts
 * const snapshot = await readSnapshot(db, 'crmp');
 * snapshot.tables.map((t) => t.name); // ['orders', 'products']
 * ```
 */
export async function readSnapshot(db: Kysely<any>, schema: string, options: { inTransaction?: boolean } = {}): Promise<Snapshot> {
  // Inside the caller's transaction (autogenerate reads a scratch schema it has not committed),
  // the queries run as they are; search_path is set transaction-locally either way.
  const inTransaction = <T>(fn: (trx: Kysely<any>) => Promise<T>) =>
    options.inTransaction ? fn(db) : db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  try {
    return await inTransaction(async (trx) => {
        const run = async <T>(text: string, parameters: readonly unknown[]): Promise<T[]> =>
          (await trx.executeQuery<T>(CompiledQuery.raw(text, [...parameters]))).rows;
        const [namespace] = await run<{ oid: string; version: number }>(namespaceQuery, [schema]);
        if (!namespace) return emptySnapshot;
        // catalog queries never gain from JIT, and its compilation (on by default in
        // PostgreSQL 12+) can cost more than a whole snapshot on a large schema
        await run(`select set_config('search_path', quote_ident($1), true), set_config('jit', 'off', true)`, [schema]);
        const ns = [namespace.oid];
        const rows: CatalogRows = {
          relations: await run(relationsQuery, ns),
          inherits: await run(inheritsQuery, ns),
          columns: await run(columnsQuery, ns),
          sequences: await run(sequencesQuery, ns),
          constraints: await run(constraintsQuery, ns),
          indexes: await run(indexesQuery, ns),
          triggers: await run(triggersQuery(namespace.version), ns),
          policies: await run(policiesQuery, ns),
          types: await run(typesQuery, ns),
          domainConstraints: await run(domainConstraintsQuery, ns),
          routines: await run(routinesQuery, ns),
          collations: await run(collationsQuery, ns),
          extensions: await run(extensionsQuery, ns),
          dependencies: await run(dependenciesQuery, ns),
          extensionMembers: await run(extensionMembersQuery, []),
          comments: await run(commentsQuery, ns),
          outsideDependants: await run(outsideDependantsQuery, ns),
        };
        return buildSnapshot(rows, schema);
      });
  } catch (error) {
    throw new DatabaseError(
      'CATALOG_READ_FAILED',
      `Could not read the catalog of schema "${schema}": ${error instanceof Error ? error.message : String(error)}. Check that the role may read it.`,
      { cause: error },
    );
  }
}

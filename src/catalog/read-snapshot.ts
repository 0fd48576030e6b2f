import { CompiledQuery, type Kysely } from 'kysely';
import { DatabaseError } from '../errors';
import type { Snapshot } from '../schema/snapshot';
import { emptySnapshot } from '../schema/snapshot';
import { buildSnapshot } from './build-snapshot';
import type { CatalogRows } from './catalog-rows';
import { dependenciesQuery, extensionMembersQuery, outsideDependantsQuery } from './dependency-queries';
import {
  collationsQuery,
  columnsQuery,
  commentsQuery,
  constraintsQuery,
  domainConstraintsQuery,
  extensionsQuery,
  indexesQuery,
  inheritsQuery,
  namespaceQuery,
  policiesQuery,
  relationsQuery,
  routinesQuery,
  sequencesQuery,
  triggersQuery,
  typesQuery,
} from './queries';

/** Where the time of {@link readSnapshot} goes: `queries` (catalog, round trips included) and `snapshot` (assembling it). */
export type SnapshotPhase = 'queries' | 'snapshot';

export interface ReadSnapshotOptions {
  /** Run inside the caller's transaction (autogenerate reads a scratch schema it has not committed). */
  readonly inTransaction?: boolean;
  /** Called with each phase's duration in milliseconds (benchmarks, `RETORT_TIMINGS`). */
  readonly onTiming?: (phase: SnapshotPhase, ms: number) => void;
}

/** The families of catalog rows, each one query of `queries.ts`. */
function familyQueries(version: number): Record<keyof CatalogRows, string> {
  return {
    relations: relationsQuery,
    inherits: inheritsQuery,
    columns: columnsQuery,
    sequences: sequencesQuery,
    constraints: constraintsQuery,
    indexes: indexesQuery,
    triggers: triggersQuery(version),
    policies: policiesQuery,
    types: typesQuery,
    domainConstraints: domainConstraintsQuery,
    routines: routinesQuery,
    collations: collationsQuery,
    extensions: extensionsQuery,
    dependencies: dependenciesQuery,
    extensionMembers: extensionMembersQuery,
    comments: commentsQuery,
    outsideDependants: outsideDependantsQuery,
  };
}

/**
 * Every family in one statement, each as a JSON array: one round trip and one snapshot of
 * the catalog, and the rows come back as JSON, which the client parses natively instead of
 * field by field (the largest part of its time on a big schema).
 */
function catalogStatement(version: number): string {
  const columns = Object.entries(familyQueries(version)).map(
    ([family, query]) => `(select coalesce(json_agg(x), '[]'::json) from (${query}) x) as "${family}"`,
  );
  return `select ${columns.join(',\n')}`;
}

/**
 * Reads one schema into a {@link Snapshot} with the bulk catalog queries of `queries.ts`, sent
 * as one statement inside a read-only, repeatable-read transaction whose `search_path` is the
 * schema (so its own objects come back unqualified). A schema that does not exist reads as empty.
 *
 * @example
 * ```ts
 * const snapshot = await readSnapshot(db, 'crmp');
 * snapshot.tables.map((t) => t.name); // ['orders', 'products']
 * ```
 */
export async function readSnapshot(db: Kysely<any>, schema: string, options: ReadSnapshotOptions = {}): Promise<Snapshot> {
  // Inside the caller's transaction the queries run as they are; search_path is set
  // transaction-locally either way. `set transaction read only` rather than Kysely's
  // setAccessMode(), which kysely 0.27 lacks.
  const inTransaction = <T>(fn: (trx: Kysely<any>) => Promise<T>) =>
    options.inTransaction
      ? fn(db)
      : db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (trx) => {
            await trx.executeQuery(CompiledQuery.raw('set transaction read only'));
            return fn(trx);
          });
  const started = performance.now();
  try {
    const rows = await inTransaction(async (trx) => {
      const run = async <T>(text: string, parameters: readonly unknown[]): Promise<T[]> =>
        (await trx.executeQuery<T>(CompiledQuery.raw(text, [...parameters]))).rows;
      // catalog queries never gain from JIT, and its compilation (on by default since
      // PostgreSQL 12) can cost more than a whole snapshot on a large schema
      const [namespace] = await run<{ oid: string; version: number }>(namespaceQuery, [schema]);
      if (!namespace) return null;
      const [families] = await run<CatalogRows>(catalogStatement(namespace.version), [namespace.oid]);
      return families!;
    });
    const fetched = performance.now();
    options.onTiming?.('queries', fetched - started);
    if (rows === null) return emptySnapshot;
    const snapshot = buildSnapshot(rows, schema);
    options.onTiming?.('snapshot', performance.now() - fetched);
    return snapshot;
  } catch (error) {
    throw new DatabaseError(
      'CATALOG_READ_FAILED',
      `Could not read the catalog of schema "${schema}": ${error instanceof Error ? error.message : String(error)}. Check that the role may read it.`,
      { cause: error },
    );
  }
}

import { sql } from 'kysely';
import { readSnapshot } from '../catalog/read-snapshot';
import { describeUrl } from '../config/dsn';
import { DatabaseError } from '../errors';
import type { RenameHint, RenameResolver } from '../diff/renames';
import { diffSnapshots } from '../diff/diff-snapshots';
import type { Operation } from '../operations/operation';
import { renderSql } from '../render/render-sql';
import type { Snapshot } from '../schema/snapshot';
import { connectionSettings } from '../target/connection-settings';
import { openSession } from '../target/session';

/** A schema in a database. */
export interface SchemaLocation {
  /** `postgresql://...`, or `embedded:<folder>` (relative to `baseDir`). */
  readonly url: string;
  readonly schema: string;
  /** How messages name it, e.g. `dev:crmp`; default the schema. */
  readonly name?: string;
}

export interface DiffSchemasOptions {
  /** The schema as it is (the SQL is written to run against it). */
  readonly from: SchemaLocation;
  /** The schema as it should be. */
  readonly to: SchemaLocation;
  /** Rename hints: `table:old=new`, `column:table.old=new`. */
  readonly renames?: readonly (string | RenameHint)[];
  /** Decides the renames hints leave open (default: same-shape pairs, flagged for review). */
  readonly resolveRenames?: RenameResolver;
  /** The folder relative `embedded:` paths are relative to; default the current one. */
  readonly baseDir?: string;
  /** Where `PGCONNECT_TIMEOUT` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Read a schema that does not exist as an empty one (the operations then create, or drop,
   * everything). Default false: a missing schema is an error, since a mistyped name would
   * otherwise turn into a DROP of every table.
   */
  readonly missingAsEmpty?: boolean;
}

export interface DiffSchemasResult {
  readonly operations: Operation[];
  /** The operations as SQL for `from.schema` (empty when there is nothing to do). */
  readonly sql: string;
  readonly from: Snapshot;
  readonly to: Snapshot;
}

async function snapshotOf(location: SchemaLocation, options: DiffSchemasOptions): Promise<Snapshot> {
  const session = await openSession({
    settings: connectionSettings(location.url, options.env ?? process.env),
    name: location.name ?? location.schema,
    baseDir: options.baseDir ?? process.cwd(),
  });
  try {
    if (!options.missingAsEmpty) {
      const found = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${location.schema}`.execute(session.db);
      if (found.rows[0]!.n === 0) {
        throw new DatabaseError(
          'NO_SCHEMA',
          `Schema "${location.schema}" does not exist in ${describeUrl(location.url)}: diff compares two existing schemas. Check the name, or create the schema (an empty one diffs as "create everything").`,
        );
      }
    }
    return await readSnapshot(session.db, location.schema);
  } finally {
    await session.close();
  }
}

/**
 * Reads two schemas (in parallel, one session each; `embedded:` endpoints start or join their
 * server) and returns the operations that
 * turn `from` into `to`, with their SQL for `from.schema`.
 *
 * @example
 * ```ts
 * const { sql } = await diffSchemas({
 *   from: { url: 'postgresql://app@db/prod', schema: 'crmp' },
 *   to: { url: 'postgresql://app@localhost/scratch', schema: 'model' },
 * });
 * ```
 */
export async function diffSchemas(options: DiffSchemasOptions): Promise<DiffSchemasResult> {
  const [from, to] = await Promise.all([snapshotOf(options.from, options), snapshotOf(options.to, options)]);
  const operations = diffSnapshots(from, to, {
    ...(options.renames ? { renames: options.renames } : {}),
    ...(options.resolveRenames ? { resolveRenames: options.resolveRenames } : {}),
  });
  return { operations, sql: renderSql(operations, { schema: options.from.schema }), from, to };
}

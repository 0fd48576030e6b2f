import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { readSnapshot } from '../catalog/read-snapshot';
import type { RenameHint, RenameResolver } from '../diff/renames';
import { diffSnapshots } from '../diff/diff-snapshots';
import { DatabaseError, RetortError } from '../errors';
import type { Operation } from '../operations/operation';
import { renderSql } from '../render/render-sql';
import type { Snapshot } from '../schema/snapshot';

/** A schema in a database. */
export interface SchemaLocation {
  readonly url: string;
  readonly schema: string;
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
}

export interface DiffSchemasResult {
  readonly operations: Operation[];
  /** The operations as SQL for `from.schema` (empty when there is nothing to do). */
  readonly sql: string;
  readonly from: Snapshot;
  readonly to: Snapshot;
}

/** A DSN without its password, for messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

async function snapshotOf(location: SchemaLocation): Promise<Snapshot> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new Pool({ connectionString: location.url, max: 1 }) }),
  });
  try {
    return await readSnapshot(db, location.schema);
  } catch (error) {
    if (error instanceof RetortError) {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      if (cause && /ECONNREFUSED|ENOTFOUND|password authentication|does not exist|timeout/i.test(cause.message)) {
        throw new DatabaseError(
          'CONNECTION_FAILED',
          `Could not connect to ${maskUrl(location.url)}: ${cause.message}. Check the URL and that the server is running.`,
          { cause },
        );
      }
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

/**
 * Reads two schemas (in parallel, one connection each) and returns the operations that
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
  const [from, to] = await Promise.all([snapshotOf(options.from), snapshotOf(options.to)]);
  const operations = diffSnapshots(from, to, {
    ...(options.renames ? { renames: options.renames } : {}),
    ...(options.resolveRenames ? { resolveRenames: options.resolveRenames } : {}),
  });
  return { operations, sql: renderSql(operations, { schema: options.from.schema }), from, to };
}

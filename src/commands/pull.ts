import type { Kysely } from 'kysely';
import type { Target } from '../config/target';
import { DatabaseError } from '../errors';
import { withTarget } from '../target/open-target';
import { targetName } from '../target/target-name';
import type { Output } from './output';
import { readSnapshot } from '../catalog/read-snapshot';
import { renderModelSource, type ModelSourceOptions } from '../pull/render-model-source';
import type { Snapshot } from '../schema/snapshot';

/** Options of {@link pullModel}. */
export interface PullOptions extends ModelSourceOptions {
  /** A connection to the database (catalog reads only: one read-only transaction). */
  readonly db: Kysely<any>;
  readonly schema: string;
}

/** What {@link pullModel} read and wrote. */
export interface PullResult {
  /** The model module's source. */
  readonly source: string;
  /** The schema as read. */
  readonly snapshot: Snapshot;
  /** How many objects of each kind the model declares, for a summary line. */
  readonly counts: Readonly<Record<'tables' | 'views' | 'routines' | 'types' | 'sequences' | 'triggers' | 'policies' | 'extensions', number>>;
}

/**
 * `migrate pull`: reads one schema from the catalog and writes it as a schema-agnostic model
 * module (see {@link renderModelSource}). Writes nothing to the database, nor to disk: the
 * caller writes `source` where it wants it.
 *
 * @example
 * ```ts
 * const { source, counts } = await pullModel({ db, schema: 'crmp', suRole: 'crmpdba' });
 * fs.writeFileSync('model/index.ts', source); // counts.tables === 18
 * ```
 * @throws DatabaseError `CATALOG_READ_FAILED`; RetortError `PULL_UNSUPPORTED` naming an object the DSL cannot say.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const snapshot = await readSnapshot(options.db, options.schema);
  const { db: _db, schema: _schema, ...sourceOptions } = options;
  const source = renderModelSource(snapshot, sourceOptions);
  return {
    source,
    snapshot,
    counts: {
      tables: snapshot.tables.length,
      views: snapshot.views.length,
      routines: snapshot.routines.length,
      types: snapshot.enums.length + snapshot.domains.length,
      sequences: snapshot.sequences.length,
      triggers: snapshot.triggers.length,
      policies: snapshot.policies.length,
      extensions: snapshot.extensions.length,
    },
  };
}

/**
 * {@link pullModel} on a target (label x schema): opens it without a lock and reads its catalog.
 *
 * @throws DatabaseError `NO_SCHEMA` when the schema does not exist.
 */
export async function pullFromTarget(options: {
  readonly target: Target;
  readonly baseDir: string;
  readonly versionTable: string;
  readonly lockTimeoutMs: number;
  readonly output: Output;
  readonly importFrom: string;
}): Promise<PullResult & { target: string }> {
  const { target } = options;
  return withTarget(
    target,
    { baseDir: options.baseDir, versionTable: options.versionTable, lock: false, lockTimeoutMs: options.lockTimeoutMs },
    async (session) => {
      if (!session.schemaExists) {
        throw new DatabaseError(
          'NO_SCHEMA',
          `Schema "${target.schema}" does not exist in ${targetName(target)}: there is nothing to pull. Check -x schema= / SCHEMA_NAME.`,
        );
      }
      const r = await pullModel({ db: session.db, schema: target.schema, importFrom: options.importFrom, ...(target.suRole ? { suRole: target.suRole } : {}) });
      return { ...r, target: targetName(target) };
    },
  );
}

import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { RetortError } from '../errors';
import { inlineParameters } from './sql-literal';

/** A statement-reading revision cannot be rendered as SQL for later. */
export class OfflineReadError extends RetortError {
  constructor(statement: string) {
    super(
      'OFFLINE_READ',
      `A revision reads from the database (${statement.replace(/\s+/g, ' ').slice(0, 60)}...), which --sql cannot do. Run it online, or guard the read with "if (!ctx.offline)".`,
    );
  }
}

const READS = /^\s*(\(\s*)?(select|with|show|values|table|fetch|explain)\b/i;
const SELECT_NODE = 'SelectQueryNode';

/** Collects statements instead of running them. */
export class SqlRecorder {
  readonly statements: string[] = [];
  /** Set while a revision runs, so that reads fail with the revision's name attached. */
  allowReads = false;

  record(text: string): void {
    this.statements.push(text.trim().replace(/;\s*$/, '') + ';');
  }

  comment(text: string): void {
    this.statements.push(`-- ${text}`);
  }

  /** The SQL script, one statement per paragraph. */
  toString(): string {
    return this.statements.join('\n\n') + '\n';
  }
}

class RecordingConnection implements DatabaseConnection {
  constructor(private readonly recorder: SqlRecorder) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const text = inlineParameters(compiled.sql, compiled.parameters);
    if (!this.recorder.allowReads && (compiled.query.kind === SELECT_NODE || READS.test(text))) {
      throw new OfflineReadError(text);
    }
    this.recorder.record(text);
    return { rows: [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    throw new OfflineReadError(compiled.sql);
  }
}

class RecordingDriver implements Driver {
  private readonly connection: RecordingConnection;
  constructor(recorder: SqlRecorder) {
    this.connection = new RecordingConnection(recorder);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'BEGIN', parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery);
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'COMMIT', parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery);
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'ROLLBACK', parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * A Kysely whose every statement is appended to `recorder` (parameters inlined as literals)
 * instead of being sent to a server. Reads throw {@link OfflineReadError}.
 *
 * @example
 * ```ts
 * const recorder = new SqlRecorder();
 * const db = recordingKysely(recorder);
 * await db.schema.withSchema('crmp').createTable('t').addColumn('id', 'integer').execute();
 * recorder.toString(); // 'create table "crmp"."t" ("id" integer);\n'
 * ```
 */
export function recordingKysely(recorder: SqlRecorder): Kysely<any> {
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new RecordingDriver(recorder),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  return new Kysely<any>({ dialect });
}

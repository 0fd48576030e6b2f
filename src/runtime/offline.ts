import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
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

/**
 * Where a recording Kysely sends statements. `--sql` uses {@link SqlRecorder}; lint records each
 * statement with the source line that ran it.
 */
export interface StatementSink {
  /** Each statement's text, with its parameters inlined as SQL literals. */
  record(text: string): void;
  /** False: a read (`select`, `with`, `show`...) throws {@link OfflineReadError}; true: it returns no rows. */
  readonly allowReads: boolean;
  /** Record the BEGIN / COMMIT / ROLLBACK of `db.transaction()` (default true). */
  readonly recordTransactions?: boolean;
  /**
   * Called as a statement's `.execute()` asks for a connection, which Kysely does synchronously:
   * the calling revision's own frame is still on the stack.
   */
  beforeStatement?(): void;
}

/** Collects statements instead of running them, for `--sql`. */
export class SqlRecorder implements StatementSink {
  readonly statements: string[] = [];
  readonly allowReads = false;

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
  constructor(private readonly sink: StatementSink) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const text = inlineParameters(compiled.sql, compiled.parameters);
    if (!this.sink.allowReads && (compiled.query.kind === SELECT_NODE || READS.test(text))) {
      throw new OfflineReadError(text);
    }
    this.sink.record(text);
    return { rows: [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    throw new OfflineReadError(compiled.sql);
  }
}

class RecordingDriver implements Driver {
  private readonly connection: RecordingConnection;
  constructor(private readonly sink: StatementSink) {
    this.connection = new RecordingConnection(sink);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    this.sink.beforeStatement?.();
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await this.control(conn, 'BEGIN');
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await this.control(conn, 'COMMIT');
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await this.control(conn, 'ROLLBACK');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}

  private async control(conn: DatabaseConnection, statement: string): Promise<void> {
    if (this.sink.recordTransactions === false) return;
    await conn.executeQuery(CompiledQuery.raw(statement));
  }
}

/**
 * A Kysely whose every statement goes to `sink` (parameters inlined as literals) instead of to a
 * server: `--sql` output and lint both render revisions through it.
 *
 * @example
 * ```ts
 * const recorder = new SqlRecorder();
 * const db = recordingKysely(recorder);
 * await db.schema.withSchema('crmp').createTable('t').addColumn('id', 'integer').execute();
 * recorder.toString(); // 'create table "crmp"."t" ("id" integer);\n'
 * ```
 */
export function recordingKysely(sink: StatementSink): Kysely<any> {
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new RecordingDriver(sink),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  return new Kysely<any>({ dialect });
}

/**
 * A small driver for the revision modules in revisions/, for tests that need
 * them before (or apart from) the runtime: it loads the files, follows
 * `downRevision` from base to head, and runs `upgrade`/`downgrade` on one
 * connection whose search_path is the target schema then public, each
 * transactional revision in a transaction of its own.
 */
import type { Direction } from '../../src/graph/revision';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { RevisionModule } from '../../src/runtime/context';
import { buildMigrationContext } from '../../src/runtime/migration-context';

/** A revision module as loaded from its file. */
export interface LoadedRevision {
  readonly id: string;
  readonly downRevision: string | null;
  readonly message: string;
  readonly transactional: boolean;
  readonly file: string;
  readonly module: RevisionModule;
}

/** The project's revisions folder. */
export const REVISIONS_DIR = resolve(__dirname, '../../revisions');

const FILE_NAME = /^([0-9a-f]{12})_[a-z0-9_]+\.ts$/;

/** Loads every revision of `dir`, ordered from base to head; the history must be linear. */
export function loadRevisions(dir = REVISIONS_DIR): LoadedRevision[] {
  const revisions: LoadedRevision[] = [];
  for (const name of readdirSync(dir).sort()) {
    const match = FILE_NAME.exec(name);
    if (!match) continue;
    const file = join(dir, name);
    const module = require(file) as RevisionModule;
    if (module.revision !== match[1]) throw new Error(`${name}: exports revision ${module.revision}, not ${match[1]}`);
    const down = module.downRevision;
    if (Array.isArray(down)) throw new Error(`${name}: merges are not supported by this driver`);
    revisions.push({
      id: module.revision,
      downRevision: (down as string | null) ?? null,
      message: module.message ?? '',
      transactional: module.transactional ?? true,
      file,
      module,
    });
  }
  const ordered: LoadedRevision[] = [];
  let parent: string | null = null;
  for (;;) {
    const children = revisions.filter((r) => r.downRevision === parent);
    if (children.length > 1) throw new Error(`revisions branch after ${parent ?? 'base'}: ${children.map((c) => c.id).join(', ')}`);
    const child = children[0];
    if (!child) break;
    ordered.push(child);
    parent = child.id;
  }
  if (ordered.length !== revisions.length) throw new Error('some revisions are not reachable from base');
  return ordered;
}

/** Options of {@link RevisionRunner.open}. */
export interface RevisionRunnerOptions {
  readonly url: string;
  readonly schema: string;
  readonly suRole?: string;
  readonly revisions?: readonly LoadedRevision[];
}

/** Runs revisions against one schema, remembering (in memory) where the schema stands. */
export class RevisionRunner {
  /** `null` at base. */
  current: string | null = null;

  private constructor(
    readonly db: Kysely<any>,
    readonly schema: string,
    readonly suRole: string | undefined,
    readonly revisions: readonly LoadedRevision[],
  ) {}

  /** Opens a single-connection Kysely with search_path set to the schema, then public. */
  static async open(options: RevisionRunnerOptions): Promise<RevisionRunner> {
    // idleTimeoutMillis 0: keep the one connection, so its session settings persist.
    const pool = new Pool({ connectionString: options.url, max: 1, idleTimeoutMillis: 0 });
    const searchPath = CompiledQuery.raw(`set search_path to "${options.schema.replace(/"/g, '""')}", public`);
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool, onCreateConnection: async (c) => void (await c.executeQuery(searchPath)) }),
    });
    return new RevisionRunner(db, options.schema, options.suRole, options.revisions ?? loadRevisions());
  }

  /** The revision ids, base to head. */
  get ids(): string[] {
    return this.revisions.map((r) => r.id);
  }

  /** Upgrades to `target` (default: head). */
  async upgrade(target: string = this.ids[this.ids.length - 1] ?? ''): Promise<void> {
    const from = this.position();
    const to = this.ids.indexOf(target);
    if (to < 0) throw new Error(`unknown revision ${target}`);
    for (let i = from + 1; i <= to; i++) await this.run(this.revisions[i]!, 'up');
  }

  /** Downgrades to `target` (default: base, i.e. nothing left). */
  async downgrade(target: string | 'base' = 'base'): Promise<void> {
    const to = target === 'base' ? -1 : this.ids.indexOf(target);
    if (target !== 'base' && to < 0) throw new Error(`unknown revision ${target}`);
    for (let i = this.position(); i > to; i--) await this.run(this.revisions[i]!, 'down');
  }

  /** Runs one revision one way, in a transaction unless it says otherwise. */
  async run(revision: LoadedRevision, direction: Direction): Promise<void> {
    const step = async (db: Kysely<any>): Promise<void> => {
      const ctx = buildMigrationContext({ db, schema: this.schema, suRole: this.suRole, revision: revision.id, direction });
      if (direction === 'up') await revision.module.upgrade(ctx);
      else await revision.module.downgrade(ctx);
    };
    if (revision.transactional) await this.db.transaction().execute(step);
    else await step(this.db);
    this.current = direction === 'up' ? revision.id : revision.downRevision;
  }

  /** Who the session is while no revision runs (checks that roles were reset). */
  async currentUser(): Promise<string> {
    const { rows } = await sql<{ u: string }>`select current_user as u`.execute(this.db);
    return rows[0]!.u;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private position(): number {
    return this.current === null ? -1 : this.ids.indexOf(this.current);
  }
}

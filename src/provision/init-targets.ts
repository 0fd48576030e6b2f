import type { Target } from '../config/target';
import { ConfigError } from '../errors';
import { isEmbeddedUrl } from '../embedded/url';
import { reachServer } from '../target/server';
import { initDatabase, urlForDatabase, type InitReport } from './init-database';

export interface InitTargetsOptions {
  /** The folder relative `embedded:` paths are relative to (alembic.ini's). */
  readonly baseDir: string;
  /** A superuser URL for the set-up; default each label's URL on database `postgres`. */
  readonly adminUrl?: string;
  readonly extensions?: readonly string[];
  readonly optionalExtensions?: readonly string[];
  /** For a URL without a user: `PGUSER`, then `USER`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** One line per object, prefixed with the label. */
  readonly log?: (line: string) => void;
}

/**
 * `migrate db init`: one {@link initDatabase} per database the targets name, with all the
 * schemas named for it. The login user and database come from the label's URL; an embedded
 * database is set up on its private server as its superuser `postgres`.
 *
 * @example
 * ```ts
 * const reports = await initTargets(targets, { baseDir: config.dir, env: process.env });
 * reports[0].created.map((i) => i.object) // ['database crmp_dev', 'role crmpdba', ...]
 * ```
 */
export async function initTargets(targets: readonly Target[], options: InitTargetsOptions): Promise<InitReport[]> {
  const byUrl = new Map<string, { label: string | undefined; url: string; schemas: string[]; suRole: string | undefined }>();
  for (const t of targets) {
    const entry = byUrl.get(t.url) ?? { label: t.label, url: t.url, schemas: [], suRole: t.suRole };
    entry.schemas.push(t.schema);
    byUrl.set(t.url, entry);
  }
  const reports: InitReport[] = [];
  for (const entry of byUrl.values()) {
    const name = entry.label ?? 'the database';
    const run = (serverUrl: string, database: string, user: string) =>
      initDatabase({
        serverUrl,
        database,
        schemas: entry.schemas,
        user,
        ...(entry.suRole ? { suRole: entry.suRole } : {}),
        ...(options.extensions ? { extensions: options.extensions } : {}),
        ...(options.optionalExtensions ? { optionalExtensions: options.optionalExtensions } : {}),
        ...(options.log ? { log: (line: string) => options.log!(`${name}: ${line}`) } : {}),
      });
    if (isEmbeddedUrl(entry.url)) {
      const server = await reachServer(entry.url, options.baseDir);
      try {
        reports.push(await run(server.url, 'postgres', 'postgres'));
      } finally {
        await server.release();
      }
      continue;
    }
    const u = new URL(entry.url);
    const database = decodeURIComponent(u.pathname.slice(1));
    const user = decodeURIComponent(u.username) || options.env.PGUSER || options.env.USER || '';
    if (!database || !user) {
      throw new ConfigError('BAD_DSN', `db init needs a database and a user in the URL of ${name} (postgresql://user@host:port/database).`);
    }
    reports.push(await run(options.adminUrl ?? urlForDatabase(entry.url, 'postgres'), database, user));
  }
  return reports;
}

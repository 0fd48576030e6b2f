import type { Command } from 'commander';
import { ConfigError } from '../errors';
import type { Io } from './io';
import { action, type Invocation } from './invocation';

/** `db init` (database-level set-up, the CLI form of development/init_test_db/) and `status`. */
export function registerDbCommands(program: Command, io: Io): void {
  program
    .command('status')
    .description('a matrix of label x schema: current revision, head, pending revisions (read-only)')
    .option('--drift', 'also compare each schema with the model (as migrate check does)')
    .option('--dev-url <dsn>', 'with --drift: where the model is built (default: [alembic] dev_url, else an embedded PostgreSQL)')
    .action(action(program, io, (inv, o: { drift?: boolean; devUrl?: string }) => statusCommand(inv, o)));

  const db = program.command('db').description('database set-up');
  db.command('init')
    .description('create the database, login user, SU role, extensions, schemas and grants (idempotent)')
    .option('--admin-url <dsn>', 'superuser connection used for the set-up (default: the label URL on database "postgres")')
    .option('--extensions <list>', 'required extensions, comma-separated (default: plpgsql,moddatetime,pgcrypto)')
    .option('--optional-extensions <list>', 'extensions created when available (default: postgis,plpython3u)')
    .action(action(program, io, (inv, o: { adminUrl?: string; extensions?: string; optionalExtensions?: string }) => dbInit(inv, o)));
}

async function dbInit(inv: Invocation, o: { adminUrl?: string; extensions?: string; optionalExtensions?: string }): Promise<void> {
  const { initDatabase, urlForDatabase } = require('../provision/init-database') as typeof import('../provision/init-database');
  const { normalizeUrl } = require('../config/dsn') as typeof import('../config/dsn');
  const targets = inv.targets();
  const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));
  // One initDatabase per database, with all the schemas named for it.
  const byUrl = new Map<string, { label: string | undefined; url: string; schemas: string[]; suRole: string | undefined }>();
  for (const t of targets) {
    const entry = byUrl.get(t.url) ?? { label: t.label, url: t.url, schemas: [], suRole: t.suRole };
    entry.schemas.push(t.schema);
    byUrl.set(t.url, entry);
  }
  const reports: Array<Awaited<ReturnType<typeof initDatabase>>> = [];
  for (const entry of byUrl.values()) {
    const name = entry.label ?? 'the database';
    const run = async (serverUrl: string, database: string, user: string) =>
      initDatabase({
        serverUrl,
        database,
        schemas: entry.schemas,
        user,
        ...(entry.suRole ? { suRole: entry.suRole } : {}),
        ...(list(o.extensions) ? { extensions: list(o.extensions)! } : {}),
        ...(list(o.optionalExtensions) ? { optionalExtensions: list(o.optionalExtensions)! } : {}),
        log: (line) => (inv.json ? undefined : inv.io.out(`${name}: ${line}`)),
      });
    if (entry.url.startsWith('embedded:')) {
      const { withEmbeddedUrl } = require('../embedded/embedded-server') as typeof import('../embedded/embedded-server');
      reports.push(await withEmbeddedUrl(entry.url, inv.config().dir, (url) => run(url, 'postgres', 'postgres')));
      continue;
    }
    const u = new URL(entry.url);
    const database = decodeURIComponent(u.pathname.slice(1));
    const user = decodeURIComponent(u.username) || inv.io.env.PGUSER || inv.io.env.USER || '';
    if (!database || !user) {
      throw new ConfigError('BAD_DSN', `db init needs a database and a user in the URL of ${name} (postgresql://user@host:port/database).`);
    }
    const serverUrl = o.adminUrl ? normalizeUrl(o.adminUrl, '--admin-url') : urlForDatabase(entry.url, 'postgres');
    if (o.adminUrl) inv.io.secrets.push(serverUrl);
    reports.push(await run(serverUrl, database, user));
  }
  inv.print(reports.length === 1 ? reports[0] : reports, () =>
    reports.map((r) => `Database ${r.database}: created ${r.created.length}, existing ${r.existing.length}, skipped ${r.skipped.length}.`),
  );
}

async function statusCommand(inv: Invocation, o: { drift?: boolean; devUrl?: string }): Promise<void> {
  const { status } = require('../commands/status') as typeof import('../commands/status');
  const { formatTable } = require('../commands/fleet') as typeof import('../commands/fleet');
  const { colours, useColour } = require('./fleet-output') as typeof import('./fleet-output');
  const { ConnectionCache } = require('../commands/connections') as typeof import('../commands/connections');
  const project = await inv.project();
  const connections = new ConnectionCache();
  let rows: Awaited<ReturnType<typeof status>>;
  try {
    const drift = o.drift ? (await (require('../loader/load-model') as typeof import('../loader/load-model')).loadModel(project.config)).model : undefined;
    rows = await status({ project, targets: await inv.expandedTargets(), jobs: inv.jobs, lockTimeoutMs: inv.lockTimeoutMs, connections, devUrl: o.devUrl, ...(drift ? { drift } : {}) });
  } finally {
    await connections.closeAll();
  }
  if (rows.some((r) => r.state !== 'ok')) inv.io.exitCode = 1;
  if (inv.json) {
    inv.io.out(JSON.stringify(rows, null, 2));
    return;
  }
  const colour = useColour(inv.io);
  const table = rows.map((r) => {
    const state =
      r.state === 'unreachable' ? `unreachable: ${r.error}` : r.state === 'no-schema' ? 'no such schema' : r.state === 'unknown-revision' ? 'unknown revision' : r.pending === 0 ? 'up to date' : `${r.pending} pending`;
    const paint = r.state !== 'ok' ? colours.red : r.pending === 0 ? colours.green : colours.yellow;
    const cells = [r.label ?? '(url)', r.schema, r.current.join(', ') || (r.state === 'ok' ? '<base>' : '-'), r.heads.join(', ') || '<base>', r.pending === undefined ? '-' : String(r.pending)];
    if (o.drift) cells.push(r.drift === undefined ? '-' : r.drift === 0 ? 'none' : `${r.drift} differences`);
    return [...cells, colour ? paint(state) : state];
  });
  const header = ['label', 'schema', 'current', 'head', 'pending', ...(o.drift ? ['drift'] : []), 'state'];
  for (const line of formatTable(header, table)) inv.io.out(line);
  const unknown = rows.filter((r) => r.state === 'unknown-revision');
  if (unknown.length > 0) {
    const { unknownRevisionHint } = require('../commands/session') as typeof import('../commands/session');
    const ids = [...new Set(unknown.flatMap((r) => r.current.filter((h) => !project.graph.get(h))))];
    inv.io.out(`Unknown revisions: ${ids.join(', ')} (in ${unknown.map((r) => r.target).join(', ')}): no file in ${project.config.scriptLocation} defines them. ${unknownRevisionHint(ids)}`);
  }
}

import type { ErrorCode } from '../errors';
import type { Command } from 'commander';
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
    .description('create the database, login user, SU role (su_role_name, when set), extensions, schemas and grants (idempotent)')
    .option('--admin-url <dsn>', 'superuser connection used for the set-up (default: the label URL on database "postgres")')
    .option('--extensions <list>', 'extensions the application needs, comma-separated (default: plpgsql only)')
    .option('--optional-extensions <list>', 'extensions created when the server has them, skipped otherwise (default: none)')
    .action(action(program, io, (inv, o: { adminUrl?: string; extensions?: string; optionalExtensions?: string }) => dbInit(inv, o)));
}

async function dbInit(inv: Invocation, o: { adminUrl?: string; extensions?: string; optionalExtensions?: string }): Promise<void> {
  const { initTargets } = require('../provision/init-targets') as typeof import('../provision/init-targets');
  const { normalizeUrl } = require('../config/dsn') as typeof import('../config/dsn');
  const list = (s: string | undefined) =>
    s === undefined
      ? undefined
      : s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
  const adminUrl = o.adminUrl ? normalizeUrl(o.adminUrl, '--admin-url') : undefined;
  if (adminUrl) inv.io.secrets.push(adminUrl);
  const extensions = list(o.extensions);
  const optionalExtensions = list(o.optionalExtensions);
  const reports = await initTargets(inv.targets(), {
    baseDir: inv.config().dir,
    env: inv.io.env,
    ...(adminUrl ? { adminUrl } : {}),
    ...(extensions ? { extensions } : {}),
    ...(optionalExtensions ? { optionalExtensions } : {}),
    ...(inv.json ? {} : { log: (line: string) => inv.io.out(line) }),
  });
  // db init works on databases: each is one entry of the --json envelope.
  for (const r of reports) inv.targetDone(r.database, r);
  inv.text(() => reports.map((r) => `Database ${r.database}: created ${r.created.length}, existing ${r.existing.length}, skipped ${r.skipped.length}.`));
}

async function statusCommand(inv: Invocation, o: { drift?: boolean; devUrl?: string }): Promise<void> {
  const { status } = require('../commands/status') as typeof import('../commands/status');
  const { formatTable } = require('../commands/fleet') as typeof import('../commands/fleet');
  const { colours, useColour } = require('./fleet-output') as typeof import('./fleet-output');
  const { SessionCache } = require('../target/session-cache') as typeof import('../target/session-cache');
  const project = await inv.project();
  const sessions = new SessionCache();
  let rows: Awaited<ReturnType<typeof status>>;
  try {
    const drift = o.drift ? (await (require('../loader/load-model') as typeof import('../loader/load-model')).loadModel(project.config)).model : undefined;
    rows = await status({
      project,
      targets: await inv.expandedTargets(),
      jobs: inv.jobs,
      lockTimeoutMs: inv.lockTimeoutMs,
      sessions,
      devUrl: o.devUrl,
      ...(drift ? { drift } : {}),
    });
  } finally {
    await sessions.closeAll();
  }
  for (const r of rows) {
    if (r.state === 'ok') inv.targetDone(r.target, r);
    else inv.io.report.addTarget({ target: r.target, status: 'failed', result: r, error: { code: STATE_CODES[r.state], message: stateText(r) } });
  }
  const bad = rows.filter((r) => r.state !== 'ok');
  if (bad.length > 0)
    inv.fail('TARGETS_FAILED', `${bad.length} of ${rows.length} targets are not usable: ${bad.map((r) => `${r.target} (${stateText(r)})`).join(', ')}.`);
  if (inv.json) return;
  const colour = useColour(inv.io);
  const table = rows.map((r) => {
    const state = r.state !== 'ok' ? stateText(r) : r.pending === 0 ? 'up to date' : `${r.pending} pending`;
    const paint = r.state !== 'ok' ? colours.red : r.pending === 0 ? colours.green : colours.yellow;
    const cells = [
      r.label ?? '(url)',
      r.schema,
      r.current.join(', ') || (r.state === 'ok' ? '<base>' : '-'),
      r.heads.join(', ') || '<base>',
      r.pending === undefined ? '-' : String(r.pending),
    ];
    if (o.drift) cells.push(r.drift === undefined ? '-' : r.drift === 0 ? 'none' : `${r.drift} differences`);
    return [...cells, colour ? paint(state) : state];
  });
  const header = ['label', 'schema', 'current', 'head', 'pending', ...(o.drift ? ['drift'] : []), 'state'];
  for (const line of formatTable(header, table)) inv.io.out(line);
  const unknown = rows.filter((r) => r.state === 'unknown-revision');
  if (unknown.length > 0) {
    const { unknownRevisionHint } = require('../commands/preflight') as typeof import('../commands/preflight');
    const ids = [...new Set(unknown.flatMap((r) => r.current.filter((h) => !project.graph.get(h))))];
    inv.io.out(
      `Unknown revisions: ${ids.join(', ')} (in ${unknown.map((r) => r.target).join(', ')}): no file in ${project.config.scriptLocation} defines them. ${unknownRevisionHint(ids)}`,
    );
  }
}

type StatusRow = import('../commands/status').StatusRow;

/** The error code of a row that is not ok, under --json. */
const STATE_CODES: Record<Exclude<StatusRow['state'], 'ok'>, ErrorCode> = {
  unreachable: 'UNREACHABLE',
  'no-schema': 'NO_SCHEMA',
  'unknown-revision': 'UNKNOWN_REVISION',
};

function stateText(r: StatusRow): string {
  return r.state === 'unreachable'
    ? `unreachable: ${r.error}`
    : r.state === 'no-schema'
      ? 'no such schema'
      : r.state === 'unknown-revision'
        ? 'unknown revision'
        : 'ok';
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../errors';
import type { Io } from './io';
import { action, type Invocation } from './invocation';

/**
 * The tools around migrations: `lint`, `erd`, `backup`, `restore` and `discover`. Each is a thin
 * adapter over a library function in src/commands/.
 */
export function registerToolCommands(program: Command, io: Io): void {
  program
    .command('lint')
    .description('check revisions (default: all) for literal schemas, unqualified names in function bodies and locking DDL')
    .argument('[files...]', 'revision files (default: every file in script_location)')
    .option('--strict', 'treat warnings as errors')
    .action(
      action(program, io, async (inv, files: string[], o: { strict?: boolean }) => {
        const lint = require('../commands/lint') as typeof import('../commands/lint');
        const report = await lint.lintFiles(await inv.project(), files, inv.io.cwd, { strict: Boolean(o.strict) });
        inv.print(report, () => [...report.findings.map((f) => lint.formatFinding(f, inv.io.cwd)), lint.formatSummary(report)]);
        if (report.errors > 0) inv.fail('LINT_ERRORS', lint.formatSummary(report));
      }),
    );

  program
    .command('erd')
    .description("draw the target schema's tables, views, columns and keys as an entity-relationship diagram")
    .option('--format <format>', 'mermaid (Markdown), dot (Graphviz) or svg', 'mermaid')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(
      action(program, io, async (inv, o: { format: string; output?: string }) => {
        const { erd, parseErdFormat } = require('../commands/erd') as typeof import('../commands/erd');
        const format = parseErdFormat(o.format);
        const target = oneTarget(inv, 'erd');
        const config = inv.config();
        const r = await erd({ target, format, baseDir: config.dir, versionTable: config.versionTable });
        const counts = {
          tables: r.model.entities.filter((e) => e.kind === 'table').length,
          views: r.model.entities.filter((e) => e.kind.endsWith('view')).length,
        };
        if (o.output) {
          const file = path.resolve(inv.io.cwd, o.output);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, r.text);
          inv.targetDone(r.target, { target: r.target, format, file, ...counts });
          inv.text(() => `Wrote ${file}: ${r.target}, ${counts.tables} tables, ${counts.views} views (${format})`);
        } else {
          inv.targetDone(r.target, { target: r.target, format, ...counts, text: r.text });
          inv.text(() => r.text.replace(/\n$/, ''));
        }
      }),
    );

  program
    .command('backup')
    .description('dump the target schema with pg_dump --format=custom (what upgrade --backup does first)')
    .option('--dir <dir>', 'folder for the dump (default: backups/ beside alembic.ini)')
    .action(
      action(program, io, async (inv, o: { dir?: string }) => {
        const { backupSchema, backupDirOf } = require('../commands/backup') as typeof import('../commands/backup');
        const config = inv.config();
        const dir = o.dir ? path.resolve(inv.io.cwd, o.dir) : backupDirOf(config);
        const { targetName } = require('../target/target-name') as typeof import('../target/target-name');
        for (const t of await inv.expandedTargets()) {
          const r = await backupSchema({ url: t.url, schema: t.schema, dir, baseDir: config.dir, env: inv.io.env, ...(t.label ? { label: t.label } : {}) });
          inv.targetDone(targetName(t), { label: t.label ?? null, schema: t.schema, ...r }, r.durationMs);
          inv.text(() => `Backed up ${targetName(t)} to ${r.file} (${Math.ceil(r.bytes / 1024)} kB, ${r.durationMs} ms)`);
        }
      }),
    );

  program
    .command('restore')
    .description('restore a schema dump (from backup or upgrade --backup) into a database where that schema is missing or empty')
    .argument('<file>', 'the .dump file')
    .option('--no-owner', "do not restore object ownership (the dump's roles do not exist here)")
    .option('--no-privileges', 'do not restore GRANTs')
    .action(
      action(program, io, async (inv, file: string, o: { owner: boolean; privileges: boolean }) => {
        const { restoreSchema } = require('../commands/backup') as typeof import('../commands/backup');
        const t = require('../config/target') as typeof import('../config/target');
        const config = inv.config();
        const input = { config, x: inv.opts.x, url: inv.opts.url, env: inv.io.env };
        const dbs = t.resolveDatabases(input);
        if (dbs.length !== 1)
          throw new ConfigError('RESTORE_ONE_DATABASE', `restore writes into one database, and ${dbs.length} are named. Pass one -x db=<label>.`);
        const db = dbs[0]!;
        inv.io.secrets.push(db.url);
        const explicit = t.parseXArgs(inv.opts.x).schema ?? inv.io.env.SCHEMA_NAME;
        const schema = explicit === undefined || explicit === '' ? undefined : t.validateIdentifier(explicit, 'schema');
        const r = await restoreSchema({
          url: db.url,
          file: path.resolve(inv.io.cwd, file),
          baseDir: config.dir,
          env: inv.io.env,
          noOwner: !o.owner,
          noPrivileges: !o.privileges,
          versionTable: config.versionTable,
          ...(schema ? { schema } : {}),
          ...(db.label ? { label: db.label } : {}),
        });
        const { targetName } = require('../target/target-name') as typeof import('../target/target-name');
        inv.targetDone(targetName({ label: db.label, url: db.url, schema: r.schema, suRole: undefined }), r, r.durationMs);
        inv.text(
          () =>
            `Restored schema "${r.schema}" into ${db.label ?? 'the database'} from ${r.file}: ${r.heads.length > 0 ? `at ${r.heads.join(', ')}` : 'no version table'} (${r.durationMs} ms)`,
        );
      }),
    );

  const env = io.env;
  program
    .command('discover')
    .description('test a connection to a server, list its schemas and version tables, and record it as [label] in alembic.ini')
    .requiredOption('--label <label>', 'section name for alembic.ini, used as -x db=<label>')
    .option('--host <host>', 'server host or socket folder', env.PGHOST || 'localhost')
    .option('--port <port>', 'server port', env.PGPORT || '5432')
    .option('--user <user>', 'login user', env.PGUSER || 'postgres')
    .option('--database <name>', 'database (default: the user name)')
    .option('--password-env <var>', 'variable that holds the password, written as ${VAR} (default PGPASSWORD)')
    .action(
      action(program, io, async (inv, o: { label: string; host: string; port: string; user: string; database?: string; passwordEnv?: string }) => {
        const { discover } = require('../commands/discover') as typeof import('../commands/discover');
        const r = await discover({
          label: o.label,
          host: o.host,
          port: /^\d+$/.test(o.port) ? Number(o.port) : NaN,
          user: o.user,
          database: o.database ?? env.PGDATABASE ?? o.user,
          iniPath: path.resolve(inv.io.cwd, inv.opts.config ?? 'alembic.ini'),
          env: inv.io.env,
          ...(o.passwordEnv ? { passwordEnv: o.passwordEnv } : {}),
        });
        inv.print(r, () => discoverLines(r));
      }),
    );
}

function discoverLines(r: Awaited<ReturnType<typeof import('../commands/discover').discover>>): string[] {
  const auth = { none: 'no password needed', variable: 'password from the environment', pgpass: 'password from ~/.pgpass' }[r.password];
  const width = Math.max(0, ...r.schemas.map((s) => s.name.length));
  const lines = [`Connected to ${r.url} (PostgreSQL ${r.serverVersion}, ${auth})`];
  lines.push(r.schemas.length === 0 ? '  no schemas' : `  schema${' '.repeat(Math.max(1, width - 5))} ${r.versionTable}`);
  for (const s of r.schemas) {
    const state = !s.versionTable
      ? 'none'
      : s.revisions === undefined
        ? `unreadable (${s.error})`
        : s.revisions.length === 0
          ? 'empty (<base>)'
          : `at ${s.revisions.join(', ')}`;
    lines.push(`  ${s.name.padEnd(width)}  ${state}`);
  }
  const verb = { added: 'Added', updated: 'Updated', unchanged: 'Kept' }[r.action];
  lines.push(`${verb} [${r.label}] in ${r.ini}: sqlalchemy.url = ${r.url}`);
  lines.push(`Next: npx migrate -x db=${r.label} current`);
  return lines;
}

/** The one target of a command that draws or reads a single schema. */
function oneTarget(inv: Invocation, command: string) {
  const targets = inv.targets();
  if (targets.length !== 1) {
    throw new ConfigError(
      'ONE_TARGET',
      `${command} works on one database and one schema, and ${targets.length} are named. Pass one -x db=<label> and one -x schema=<name>.`,
    );
  }
  return targets[0]!;
}

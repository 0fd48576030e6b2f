import type { Command } from 'commander';
import type { Target } from '../config/target';
import type { Direction } from '../graph/revision';
import type { RevisionInfo } from '../commands/inspect';
import type { Io } from './io';
import { runOverTargets } from './fleet-run';
import { action, type Invocation } from './invocation';

export function registerCommands(program: Command, io: Io): void {
  program
    .command('upgrade')
    .description('upgrade to a later revision (default: head)')
    .argument('[revision]', 'head, heads, an id or prefix, +N, <branch>@head; with --sql also from:to', 'head')
    .option('--sql', 'print the SQL instead of running it (offline mode)')
    .option('--transaction-per-revision', 'commit after each revision instead of once at the end')
    .option('--create-schema', 'create the target schema if it does not exist')
    .option('--backup [dir]', 'pg_dump each target schema before the first step (default dir: backups/ beside alembic.ini)')
    .option('--no-lint', 'do not print lint warnings for the pending revisions')
    .option('--allow-lint-errors', 'run pending revisions that have lint errors (a schema written literally) instead of stopping')
    .action(action(program, io, (inv, revision: string, o: Record<string, boolean | string>) => runMigrate(inv, 'up', revision, o)));

  program
    .command('downgrade')
    .description('revert to a previous revision')
    .argument('<revision>', 'an id or prefix, -N, base; with --sql from:to')
    .option('--sql', 'print the SQL instead of running it (offline mode)')
    .option('--transaction-per-revision', 'commit after each revision instead of once at the end')
    .action(action(program, io, (inv, revision: string, o: Record<string, boolean>) => runMigrate(inv, 'down', revision, o)));

  program
    .command('current')
    .description("show the target's current revision(s)")
    .option('-v, --verbose', 'details of each revision')
    .action(
      action(program, io, async (inv, o: { verbose?: boolean }) => {
        const { current, formatRevisionDetail } = require('../commands/inspect') as typeof import('../commands/inspect');
        const project = await inv.project();
        const { databaseName } = require('../target/target-name') as typeof import('../target/target-name');
        const results: Array<Awaited<ReturnType<typeof current>> & { where: string }> = [];
        for (const target of await inv.expandedTargets()) {
          const started = performance.now();
          const r = await current({ project, target, lockTimeoutMs: inv.lockTimeoutMs, output: inv.output() });
          results.push({ ...r, where: `schema "${target.schema}" does not exist in ${databaseName(target)}` });
          inv.targetDone(r.target, r, Math.round(performance.now() - started));
        }
        inv.text(() =>
          results.flatMap((r) => {
            const prefix = results.length > 1 ? `${r.target}: ` : '';
            const lines = r.heads.map((h) => (o.verbose ? formatRevisionDetail(h) : `${prefix}${h.id}${h.isHead ? ' (head)' : ''}`));
            lines.push(...r.unknown.map((u) => `${prefix}${u} (not in revisions/)`));
            if (lines.length === 0) lines.push(`${prefix}<base>${r.versionTable ? '' : r.schemaExists ? ' (no version table)' : ` (${r.where})`}`);
            return lines;
          }),
        );
        const { unknownRevisionHint } = require('../commands/preflight') as typeof import('../commands/preflight');
        for (const r of results) {
          // Informational, as Alembic's current: a missing schema is reported, and the exit code stays 0.
          if (!r.schemaExists)
            inv.io.err(`migrate: warning: ${r.where}. Create it ("migrate db init", or "migrate upgrade --create-schema"), or check SCHEMA_NAME / -x schema=.`);
          if (r.unknown.length > 0)
            inv.io.err(
              `migrate: warning: ${r.target} is at ${r.unknown.join(', ')}, which no file in ${project.config.scriptLocation} defines. ${unknownRevisionHint(r.unknown)}`,
            );
        }
      }),
    );

  program
    .command('history')
    .description('list revisions, newest first')
    .option('-r, --rev-range <range>', 'lower:upper, e.g. base:head or 522eed:')
    .option('-v, --verbose', 'details of each revision')
    .action(
      action(program, io, async (inv, o: { revRange?: string; verbose?: boolean }) => {
        const { history } = require('../commands/inspect') as typeof import('../commands/inspect');
        const list = history(await inv.project(), o.revRange);
        printRevisions(inv, list, o.verbose);
      }),
    );

  program
    .command('heads')
    .description('show the head revisions')
    .option('-v, --verbose', 'details of each revision')
    .action(
      action(program, io, async (inv, o: { verbose?: boolean }) => {
        const { heads } = require('../commands/inspect') as typeof import('../commands/inspect');
        printRevisions(inv, heads(await inv.project()), o.verbose);
      }),
    );

  program
    .command('branches')
    .description('show branch points')
    .option('-v, --verbose', 'details of each revision')
    .action(
      action(program, io, async (inv, o: { verbose?: boolean }) => {
        const { branches } = require('../commands/inspect') as typeof import('../commands/inspect');
        printRevisions(inv, branches(await inv.project()), o.verbose);
      }),
    );

  program
    .command('show')
    .description('show one revision')
    .argument('<revision>')
    .action(
      action(program, io, async (inv, revision: string) => {
        const { show } = require('../commands/inspect') as typeof import('../commands/inspect');
        printRevisions(inv, show(await inv.project(), revision), true);
      }),
    );

  program
    .command('stamp')
    .description('set the version table to the given revision(s) without running them')
    .argument('<revisions...>')
    .option('--purge', 'replace whatever the version table holds, even unknown revisions')
    .action(
      action(program, io, async (inv, revisions: string[], o: { purge?: boolean }) => {
        const { stamp } = require('../commands/stamp') as typeof import('../commands/stamp');
        const project = await inv.project();
        await runOverTargets(
          inv,
          async ({ target, output, sessions }) => {
            const r = await stamp({ project, target, revisions, purge: Boolean(o.purge), lockTimeoutMs: inv.lockTimeoutMs, output, sessions });
            output.line(`Stamped ${r.target}: ${r.from.join(', ') || '<base>'} -> ${r.to.join(', ') || '<base>'}`);
            return r;
          },
          (r) => ({ from: r.from.join(', ') || '<base>', to: r.to.join(', ') || '<base>' }),
        );
      }),
    );

  program
    .command('revision')
    .description('write a new revision file')
    .requiredOption('-m, --message <message>', 'what the revision does')
    .option('--rev-id <id>', 'use this id instead of a random one')
    .option('--head <revision>', 'parent revision (default: head)')
    .option('--splice', 'allow --head to be a non-head revision (starts a branch)')
    .option('--branch-label <label>', 'branch label for the new revision')
    .option('--depends-on <revisions...>', 'revisions this one depends on')
    .option('--autogenerate', 'compare the model with the target database (at head) and write the operations')
    .option('--baseline', "with --autogenerate: the first revision, building the whole model from an empty schema (give --rev-id the Alembic head's id)")
    .option('--rename <hints...>', 'with --autogenerate: table:old=new, column:table.old=new')
    .option('--dev-url <dsn>', 'with --autogenerate: where the model is built (default: [alembic] dev_url, else an embedded PostgreSQL)')
    .action(
      action(
        program,
        io,
        async (
          inv,
          o: {
            message: string;
            revId?: string;
            head?: string;
            splice?: boolean;
            branchLabel?: string;
            dependsOn?: string[];
            autogenerate?: boolean;
            baseline?: boolean;
            rename?: string[];
            devUrl?: string;
          },
        ) => {
          const { createRevision } = require('../commands/revision') as typeof import('../commands/revision');
          const project = await inv.project();
          if (o.baseline && !o.autogenerate)
            throw new (require('../errors') as typeof import('../errors')).ConfigError(
              'BASELINE_NEEDS_AUTOGENERATE',
              '--baseline goes with --autogenerate: migrate revision --autogenerate --baseline --rev-id <id> -m "baseline".',
            );
          if (o.autogenerate && o.baseline) {
            const ag = require('../commands/autogenerate') as typeof import('../commands/autogenerate');
            const { loadModel } = require('../loader/load-model') as typeof import('../loader/load-model');
            const { model } = await loadModel(project.config);
            if (o.devUrl) inv.io.secrets.push(o.devUrl);
            // A database named on the command line only sets the major version the dev database must run.
            const target = namedTarget(inv);
            const targetVersion = target ? await ag.targetServerVersion(project, target) : undefined;
            const suRole = target ? target.suRole : offlineTargets(inv)[0]?.suRole;
            const r = await ag.baselineRevision({
              project,
              model,
              message: o.message,
              revId: o.revId,
              suRole,
              devUrl: o.devUrl,
              targetVersion,
              output: inv.output(),
            });
            inv.print(r, () => [
              `Generating ${r.path} ... done`,
              `${r.operations} operation(s) build the model from an empty schema${r.review ? `, ${r.review} marked REVIEW` : ''}: read the file before applying it.`,
            ]);
            return;
          }
          if (o.autogenerate) {
            const { autogenerateRevision } = require('../commands/autogenerate') as typeof import('../commands/autogenerate');
            const { loadModel } = require('../loader/load-model') as typeof import('../loader/load-model');
            const targets = inv.targets();
            if (targets.length !== 1)
              throw new (require('../errors') as typeof import('../errors')).ConfigError(
                'ONE_TARGET',
                'revision --autogenerate compares with one database and schema; name exactly one.',
              );
            const { model } = await loadModel(project.config);
            if (o.devUrl) inv.io.secrets.push(o.devUrl);
            const r = await autogenerateRevision({
              project,
              target: targets[0]!,
              model,
              message: o.message,
              revId: o.revId,
              lockTimeoutMs: inv.lockTimeoutMs,
              output: inv.output(),
              devUrl: o.devUrl,
              ...(o.rename ? { renames: o.rename } : {}),
            });
            inv.print(r, () =>
              r.path === undefined
                ? ['No changes detected; no revision written.']
                : [
                    ...r.detected,
                    `Generating ${r.path} ... done`,
                    `${r.operations} operation(s)${r.review ? `, ${r.review} marked REVIEW` : ''}${r.destructive ? `, ${r.destructive} DESTRUCTIVE` : ''}: read the file before applying it.`,
                  ],
            );
            return;
          }
          const dependsOn = (o.dependsOn ?? []).flatMap((d) => project.graph.resolve(d));
          const r = createRevision({ project, message: o.message, revId: o.revId, head: o.head, splice: o.splice, branchLabel: o.branchLabel, dependsOn });
          inv.print(r, () => `Generating ${r.path} ... done`);
        },
      ),
    );

  program
    .command('merge')
    .description('write a revision that merges several heads')
    .argument('[revisions...]', 'revisions to merge (default: all heads)')
    .requiredOption('-m, --message <message>', 'what the merge is for')
    .option('--rev-id <id>', 'use this id instead of a random one')
    .action(
      action(program, io, async (inv, revisions: string[], o: { message: string; revId?: string }) => {
        const { createMerge } = require('../commands/revision') as typeof import('../commands/revision');
        const r = createMerge({ project: await inv.project(), message: o.message, revisions, ...(o.revId ? { revId: o.revId } : {}) });
        inv.print(r, () => `Generating ${r.path} ... done`);
      }),
    );

  program
    .command('init')
    .description('scaffold a project: alembic.ini, revisions/, a model stub, .gitignore and tsconfig.json')
    .argument('[dir]', 'folder (default: current)', '.')
    .option('--schema <name>', 'schema_name of the project (default: public); ${VAR:-default} is kept as written')
    .option('--su-role <role>', 'su_role_name: the role privileged revisions run as (default: none)')
    .action(
      // --url (the global option) becomes the [dev] label's URL, a password in it replaced by ${PGPASSWORD}
      action(program, io, async (inv, dir: string, o: { schema?: string; suRole?: string }) => {
        const { initProject } = require('../commands/init-project') as typeof import('../commands/init-project');
        const { PACKAGE_NAME } = require('../package-info') as typeof import('../package-info');
        const path = require('node:path') as typeof import('node:path');
        const r = initProject({ dir: path.resolve(inv.io.cwd, dir), schema: o.schema, suRole: o.suRole, url: inv.opts.url, packageName: PACKAGE_NAME });
        inv.print(r, () => [
          ...r.created.map((f) => `Created ${path.join(r.dir, f)}`),
          ...r.kept.map((f) => `Kept ${path.join(r.dir, f)}`),
          'Next: check the [dev] label in alembic.ini, then "npx migrate -x db=dev pull -o model/index.ts" for a database that is already online, or edit model/index.ts and "npx migrate -x db=dev revision --autogenerate -m first".',
        ]);
      }),
    );
}

async function runMigrate(inv: Invocation, direction: Direction, revision: string, o: Record<string, boolean | string>): Promise<void> {
  const { migrate } = require('../commands/migrate') as typeof import('../commands/migrate');
  const project = await inv.project();
  // Lint findings are the same for every target with the same pending revisions: print each once.
  const warned = new Set<string>();
  const lint =
    direction === 'up'
      ? {
          render: o.lint !== false,
          allowErrors: Boolean(o.allowLintErrors),
          report: (findings: readonly import('../lint/rules').LintFinding[]) => {
            const { formatFinding } = require('../commands/lint') as typeof import('../commands/lint');
            for (const line of findings.map((f) => formatFinding(f, inv.io.cwd))) {
              if (!warned.has(line)) inv.io.err(`lint: ${line}`);
              warned.add(line);
            }
          },
        }
      : undefined;
  const options = {
    project,
    revision,
    direction,
    transactionPerRevision: Boolean(o.transactionPerRevision),
    createSchema: Boolean(o.createSchema),
    lockTimeoutMs: inv.lockTimeoutMs,
    ...(lint ? { lint } : {}),
  };
  if (o.sql) {
    for (const target of offlineTargets(inv)) {
      const r = await migrate({ ...options, target, sql: true, output: inv.output() });
      // Offline, a target is a schema: no database is named.
      inv.targetDone(target.schema, r);
      inv.text(() => r.script!.replace(/\n$/, ''));
    }
    return;
  }
  if (o.backup && direction === 'up') {
    // A folder that cannot hold backups is refused before anything connects, pending steps or not.
    const { prepareBackupDir, backupDirOf } = require('../commands/backup') as typeof import('../commands/backup');
    const path = require('node:path') as typeof import('node:path');
    prepareBackupDir(typeof o.backup === 'string' ? path.resolve(inv.io.cwd, o.backup) : backupDirOf(inv.config()));
  }
  await runOverTargets(
    inv,
    async ({ target, output, sessions }) => {
      // --backup dumps the schema once the plan is known (under the lock, before any DDL): nothing pending, no dump.
      let backedUp: string | undefined;
      const wantsBackup = o.backup && direction === 'up' ? o.backup : undefined;
      const planned = wantsBackup
        ? async () => {
            backedUp = await backup(inv, target, output, wantsBackup, Boolean(o.createSchema));
          }
        : undefined;
      const r = await migrate({ ...options, target, output, sessions, ...(planned ? { onPlan: planned } : {}) });
      if (r.steps.length === 0 && !inv.json)
        output.line(`already at ${r.to.join(', ') || '<base>'}; nothing to do${wantsBackup ? ', so no backup was taken' : ''}.`);
      return backedUp ? { ...r, backup: backedUp } : r;
    },
    (r) => ({
      from: r.from.join(', ') || '<base>',
      to: r.to.join(', ') || '<base>',
      note: r.steps.length === 0 ? 'ok (nothing to do)' : `ok (${r.steps.length} step${r.steps.length === 1 ? '' : 's'})`,
    }),
  );
}

/** Dumps the target's schema; the file, or undefined when --create-schema is about to create it. */
async function backup(
  inv: Invocation,
  target: Target,
  output: import('../commands/output').Output,
  dirOption: boolean | string,
  createSchema: boolean,
): Promise<string | undefined> {
  const { backupSchema, backupDirOf } = require('../commands/backup') as typeof import('../commands/backup');
  const { targetName } = require('../target/target-name') as typeof import('../target/target-name');
  const path = require('node:path') as typeof import('node:path');
  const dir = typeof dirOption === 'string' ? path.resolve(inv.io.cwd, dirOption) : backupDirOf(inv.config());
  try {
    const b = await backupSchema({ url: target.url, schema: target.schema, dir, label: target.label, baseDir: inv.config().dir, env: inv.io.env });
    output.line(`Backed up ${targetName(target)} to ${b.file}`);
    return b.file;
  } catch (error) {
    // A schema that --create-schema is about to create has nothing to back up.
    if (createSchema && (error as { code?: string }).code === 'NO_SCHEMA') return undefined;
    throw error;
  }
}

/** The one target the command line names, or undefined when it names no database. */
function namedTarget(inv: Invocation): Target | undefined {
  try {
    const targets = inv.targets();
    return targets.length === 1 ? targets[0] : undefined;
  } catch (error) {
    if ((error as { code?: string }).code === 'NO_DATABASE') return undefined;
    throw error;
  }
}

/** Offline mode needs no database: the schema and role still come from -x / environment / ini. */
function offlineTargets(inv: Invocation): Target[] {
  const t = require('../config/target') as typeof import('../config/target');
  if (inv.opts.schemas) {
    const { ConfigError } = require('../errors') as typeof import('../errors');
    throw new ConfigError(
      'SCHEMAS_NOT_SUPPORTED',
      '--schemas matches the schemas of a database, and --sql reads none: list the schemas in SCHEMA_NAME or -x schema=a,b instead.',
    );
  }
  const input = { config: inv.config(), x: inv.opts.x, url: inv.opts.url, env: inv.io.env };
  const suRole = t.resolveSuRole(input);
  return t.resolveSchemas(input).map((schema) => ({ label: undefined, url: 'offline:', schema, suRole }));
}

function printRevisions(inv: Invocation, list: readonly RevisionInfo[], verbose: boolean | undefined): void {
  const insp = require('../commands/inspect') as typeof import('../commands/inspect');
  inv.print(list, () => (verbose ? list.map(insp.formatRevisionDetail).join('\n\n').split('\n') : list.map(insp.formatRevisionLine)));
}

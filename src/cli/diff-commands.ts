import type { Command } from 'commander';
import { ConfigError, RetortError } from '../errors';
import type { Io } from './io';
import { action, type Invocation } from './invocation';

/** `check` (model vs database drift) and `diff` (between two live schemas). */
export function registerDiffCommands(program: Command, io: Io): void {
  program
    .command('check')
    .description('exit 1 with the differences when the database differs from the model, 0 when they match')
    .option('--rename <hints...>', 'rename hints: table:old=new, column:table.old=new')
    .option('--dev-url <dsn>', 'where the model is built and compared (default: [alembic] dev_url, else an embedded PostgreSQL)')
    .action(action(program, io, (inv, o: { rename?: string[]; devUrl?: string }) => check(inv, o)));

  program
    .command('diff')
    .description('the operations that turn one live schema into another, in the same or different databases')
    .requiredOption('--from <label|url[:schema]>', 'the schema as it is, e.g. dev:crmp or postgresql://u@h/db:crmp')
    .requiredOption('--to <label|url[:schema]>', 'the schema as it should be')
    .option('--sql', 'print only the SQL (for psql), not the summary')
    .option('--rename <hints...>', 'rename hints: table:old=new, column:table.old=new')
    .option('--exit-code', 'exit 1 when there are differences, 0 when there are none (as git diff --exit-code)')
    .action(action(program, io, (inv, o: DiffOptions) => diff(inv, o)));
}

/**
 * `check`: 0 when every target matches the model, 1 when one differs, 2 for any error
 * (configuration, connection, permission): a failure to compare must never read as drift.
 */
async function check(inv: Invocation, o: { rename?: string[]; devUrl?: string }): Promise<void> {
  try {
    await compare(inv, o);
  } catch (error) {
    if (error instanceof RetortError && error.exitCode === 2) throw error;
    throw new RetortError(error instanceof RetortError ? error.code : 'CHECK_FAILED', error instanceof Error ? error.message : String(error), {
      cause: error,
      exitCode: 2,
    });
  }
}

async function compare(inv: Invocation, o: { rename?: string[]; devUrl?: string }): Promise<void> {
  const { compareModel, describeDrift } = require('../commands/autogenerate') as typeof import('../commands/autogenerate');
  const { loadModel } = require('../loader/load-model') as typeof import('../loader/load-model');
  const project = await inv.project();
  const { model } = await loadModel(project.config);
  if (o.devUrl) inv.io.secrets.push(o.devUrl);
  const drifted: string[] = [];
  for (const target of await inv.expandedTargets()) {
    const started = performance.now();
    const r = await compareModel({
      project,
      target,
      model,
      lockTimeoutMs: inv.lockTimeoutMs,
      output: inv.output(),
      devUrl: o.devUrl,
      ...(o.rename ? { renames: o.rename } : {}),
    });
    inv.targetDone(r.target, { heads: r.heads, differences: r.operations.length, operations: r.operations }, Math.round(performance.now() - started));
    if (r.operations.length > 0) drifted.push(`${r.target} (${r.operations.length})`);
    if (!inv.json) {
      if (r.operations.length === 0) inv.io.out(`${r.target}: matches the model.`);
      else {
        inv.io.out(`${r.target}: ${r.operations.length} difference(s) from the model; this SQL would make it match:`);
        inv.io.out(describeDrift(r, target.schema).replace(/\n$/, ''));
      }
    }
  }
  if (drifted.length > 0)
    inv.fail(
      'DRIFT',
      `${drifted.join(', ')} differ${drifted.length === 1 ? 's' : ''} from the model: write a revision (revision --autogenerate) or fix the model.`,
    );
}

/** `dev`, `dev:crmp`, `postgresql://u@h:5432/db`, `postgresql://u@h:5432/db:crmp`. */
function endpoint(inv: Invocation, spec: string, defaultSchema: string): { url: string; schema: string; name: string } {
  const { normalizeUrl } = require('../config/dsn') as typeof import('../config/dsn');
  const { expandEnv } = require('../config/config') as typeof import('../config/config');
  const { validateIdentifier } = require('../config/target') as typeof import('../config/target');
  let base = spec;
  let schema = defaultSchema;
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(spec);
  const cut = isUrl ? spec.lastIndexOf(':') : spec.indexOf(':');
  if (cut > (isUrl ? spec.lastIndexOf('/') : 0)) {
    base = spec.slice(0, cut);
    schema = spec.slice(cut + 1);
  }
  validateIdentifier(schema, 'schema');
  if (isUrl) {
    const url = normalizeUrl(base, 'diff');
    inv.io.secrets.push(url);
    // Named as every command names a target: the database (no label here) and the schema.
    const { targetName } = require('../target/target-name') as typeof import('../target/target-name');
    return { url, schema, name: targetName({ label: undefined, url, schema, suRole: undefined }) };
  }
  const config = inv.config();
  const label = config.labels.get(base);
  if (!label) {
    throw new ConfigError(
      'UNKNOWN_LABEL',
      `unknown database label "${base}". Labels in ${config.path}: ${[...config.labels.keys()].join(', ') || '(none)'}. Use <label>[:schema] or a postgresql:// URL.`,
    );
  }
  const url = normalizeUrl(expandEnv(label.rawUrl, inv.io.env, `[${base}] in ${config.path}`), `label ${base}`);
  inv.io.secrets.push(url);
  return { url, schema, name: `${base}:${schema}` };
}

interface DiffOptions {
  from: string;
  to: string;
  sql?: boolean;
  rename?: string[];
  exitCode?: boolean;
}

/** `diff`: exit 0 whatever it finds, unless --exit-code: then 1 when the schemas differ. */
async function diff(inv: Invocation, o: DiffOptions): Promise<void> {
  const { resolveSchemas } = require('../config/target') as typeof import('../config/target');
  const defaultSchema = resolveSchemas({ config: inv.config(), x: inv.opts.x, url: inv.opts.url, env: inv.io.env })[0]!;
  const from = endpoint(inv, o.from, defaultSchema);
  const to = endpoint(inv, o.to, defaultSchema);
  const { diffSchemas } = require('../commands/diff') as typeof import('../commands/diff');
  const r = await diffSchemas({ from, to, baseDir: inv.config().dir, env: inv.io.env, ...(o.rename ? { renames: o.rename } : {}) });
  if (inv.json) {
    inv.print({ from: from.name, to: to.name, differences: r.operations.length, operations: r.operations, sql: r.sql }, () => []);
  } else if (o.sql) {
    if (r.sql) inv.io.out(r.sql.replace(/\n$/, ''));
  } else if (r.operations.length === 0) {
    inv.io.out(`${from.name} and ${to.name} match.`);
  } else {
    inv.io.out(`-- ${r.operations.length} operation(s) turn ${from.name} into ${to.name}:`);
    inv.io.out(r.sql.replace(/\n$/, ''));
  }
  if (o.exitCode && r.operations.length > 0) inv.fail('DIFFERENCES', `${r.operations.length} operation(s) turn ${from.name} into ${to.name}.`);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, ScriptError } from '../errors';
import type { Io } from './io';
import { action, type Invocation } from './invocation';

/** `pull`: a schema-agnostic model module from a live schema (prisma db pull, atlas schema inspect). */
export function registerPullCommand(program: Command, io: Io): void {
  program
    .command('pull')
    .description('write the target schema as a TypeScript model module (reads the catalog only)')
    .option('-o, --output <file>', 'write the model here (default: print it)')
    .option('--force', 'overwrite the output file if it exists')
    .action(action(program, io, (inv, o: { output?: string; force?: boolean }) => pull(inv, o)));
}

async function pull(inv: Invocation, o: { output?: string; force?: boolean }): Promise<void> {
  const targets = inv.targets();
  if (targets.length !== 1) {
    throw new ConfigError(
      'ONE_TARGET',
      `pull reads one database and one schema, and ${targets.length} are named. Pass one -x db=<label> and one -x schema=<name>.`,
    );
  }
  const target = targets[0]!;
  const file = o.output === undefined ? undefined : path.resolve(inv.io.cwd, o.output);
  if (file && fs.existsSync(file) && !o.force) {
    throw new ScriptError('OUTPUT_EXISTS', `${file} already exists: pull would replace it. Pass --force to overwrite it, or -o another file.`);
  }
  const { pullFromTarget } = require('../commands/pull') as typeof import('../commands/pull');
  const { PACKAGE_NAME } = require('../package-info') as typeof import('../package-info');
  const config = inv.config();
  const r = await pullFromTarget({
    target,
    baseDir: config.dir,
    versionTable: config.versionTable,
    lockTimeoutMs: inv.lockTimeoutMs,
    output: inv.output(),
    importFrom: PACKAGE_NAME,
  });
  if (!file) {
    inv.targetDone(r.target, { target: r.target, counts: r.counts, source: r.source });
    inv.text(() => r.source.replace(/\n$/, ''));
    return;
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, r.source);
  } catch (cause) {
    throw new ScriptError('WRITE_FAILED', `Cannot write ${file}: ${(cause as Error).message}.`, { cause });
  }
  const c = r.counts;
  const modelLine =
    config.model === undefined
      ? ` Add "model = ${path.relative(config.dir, file) || file}" to [alembic] in ${config.path} so check and revision --autogenerate use it.`
      : '';
  inv.targetDone(r.target, { target: r.target, file, counts: c });
  inv.text(() => [
    `Wrote ${file}: ${r.target}, ${c.tables} tables, ${c.views} views, ${c.routines} functions, ${c.types} types, ${c.sequences} sequences, ${c.triggers} triggers, ${c.policies} policies.${modelLine}`,
  ]);
}

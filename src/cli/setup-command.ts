import type { Command } from 'commander';
import type { SetupResult } from '../commands/setup';
import type { Io } from './io';
import { action, type Invocation } from './invocation';

/**
 * `setup`: builds the whole model into an empty schema and stamps the head, in one transaction
 * (bemserver_setup_db's `create_all` + `stamp head`).
 */
export function registerSetupCommand(program: Command, io: Io): void {
  program
    .command('setup')
    .description('build the model ([alembic] model = <module>) into an empty schema and stamp the head, in one transaction')
    .option('--create-schema', 'create the target schema if it does not exist')
    .action(action(program, io, (inv, o: { createSchema?: boolean }) => runSetup(inv, Boolean(o.createSchema))));
}

async function runSetup(inv: Invocation, createSchema: boolean): Promise<void> {
  const { setup, setupLines } = require('../commands/setup') as typeof import('../commands/setup');
  const { loadModel } = require('../loader/load-model') as typeof import('../loader/load-model');
  const project = await inv.project();
  const model = await loadModel(project.config);
  for (const target of await inv.expandedTargets()) {
    const started = performance.now();
    const r: SetupResult = await setup({ project, target, model, createSchema, lockTimeoutMs: inv.lockTimeoutMs, output: inv.output() });
    // Recorded and printed as each target finishes: with many targets, progress shows and a later failure keeps the earlier lines.
    inv.targetDone(r.target, r, Math.round(performance.now() - started));
    inv.text(() => setupLines(r));
  }
}

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { crmp } from '../../../src/crmp';
import { createAll } from '../../../src/model';
import { randomSchemaName, type TestDatabase } from '../../support/database';
import { schemaInventory, type SchemaInventory } from './schema-inventory';
import type { SuRole } from './su-role';
import { useSuDatabase } from './su-database';

// The same check as model-equivalence, through the real runtime: `migrate upgrade head`
// (one transaction, search_path, the non-transactional revision, su-role preflight).

const ROOT = resolve(__dirname, '../../..');
const run = promisify(execFile);

/** Runs the CLI from the sources (no build needed), in the project folder. */
async function migrate(args: readonly string[]): Promise<string> {
  const script = "require('./src/cli/main.ts').main(['node', 'migrate', ...JSON.parse(process.env.MIGRATE_ARGS)]).then((c) => { process.exitCode = c; })";
  const { stdout } = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    cwd: ROOT,
    env: { ...process.env, MIGRATE_ARGS: JSON.stringify(args) },
  });
  return stdout;
}

const withoutVersionTables = (inventory: SchemaInventory): SchemaInventory =>
  Object.fromEntries(
    Object.entries(inventory).map(([part, rows]: [string, readonly string[]]) => [part, rows.filter((r) => !r.includes('alembic_version'))]),
  ) as unknown as SchemaInventory;

describe('crmp: `migrate upgrade head` = createAll(model) (integration)', () => {
  const fixture = useSuDatabase('crmpcli');
  let database: TestDatabase;
  let su: SuRole;
  let db: Kysely<any>;
  before(() => {
    ({ database, su, db } = fixture());
  });

  it('builds the same schema through the CLI as createAll builds from the model, and downgrades it to nothing', async () => {
    const viaCli = randomSchemaName('cli');
    const viaModel = randomSchemaName('mod');
    const target = ['--url', database.url, '-x', `schema=${viaCli}`, '-x', `su_role=${su.name}`];
    const out = await migrate([...target, 'upgrade', 'head', '--create-schema']);
    expect(out).to.match(/Running upgrade 3c8d0f5b2e97 -> e6f1b3a5d7c9/);
    await createAll(crmp, { db, schema: viaModel, suRole: su.name, createSchema: true });
    const cli = withoutVersionTables(await schemaInventory(db, viaCli));
    expect(cli.relations.length).to.be.greaterThan(50);
    expect(cli).to.deep.equal(await schemaInventory(db, viaModel));

    await migrate([...target, 'downgrade', 'base']);
    const after = withoutVersionTables(await schemaInventory(db, viaCli));
    expect(Object.values(after).flat()).to.deep.equal([]);
  });
});

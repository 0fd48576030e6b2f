/**
 * End to end on a real PostgreSQL 13: a project whose target is `embedded:...?version=13` upgrades
 * there, `check` refuses a model that uses NULLS NOT DISTINCT by name (exit 2, JSON too), and
 * compares a model without it in a dev database of the target's major.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { userCacheDir } from '../../src/config/user-dirs';
import { ROOT, createProject, runCli, type TestProject } from '../support/cli';

const MODEL = (unique: string) => `import { defineModel, integer, table, text } from '${path.join(ROOT, 'src').replace(/\\/g, '/')}';
const station = table('station', { id: integer().primaryKey(), code: text() })${unique};
export const model = defineModel({ tables: [station] });
`;

describe('cli on PostgreSQL 13: check refuses what 13 lacks, by name (integration)', function () {
  this.timeout(240_000);
  let project: TestProject;
  let cache: string;
  let env: Record<string, string>;

  before(async () => {
    project = createProject({
      labels: { old: 'embedded:./pg13?version=13' },
      alembic: { model: 'model.ts' },
      revisions: [
        {
          id: 'aaaa00000001',
          down: null,
          message: 'init',
          up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('station').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('code', 'text').execute();`,
          downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();`,
        },
      ],
    });
    fs.chmodSync(project.dir, 0o755); // the embedded server's own user must reach its folder
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-cache-'));
    env = { XDG_CACHE_HOME: cache };
    const up = await runCli(['-x', 'db=old', 'upgrade', 'head', '--create-schema', '--no-lint'], { cwd: project.dir, env });
    expect(up.code, up.stderr).to.equal(0);
  });
  after(() => {
    project?.remove();
    if (cache) fs.rmSync(cache, { recursive: true, force: true });
  });

  it('upgrades on the embedded 13 that the URL asks for', () => {
    expect(fs.readFileSync(path.join(project.dir, 'pg13', 'pgdata', 'PG_VERSION'), 'utf8').trim()).to.equal('13');
  });

  it('refuses a model with NULLS NOT DISTINCT in one line, exit 2', async () => {
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL(`.unique(['code'], 'station_code_key', { nullsNotDistinct: true })`));
    const r = await runCli(['-x', 'db=old', 'check'], { cwd: project.dir, env });
    expect(r.code, r.stdout + r.stderr).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain("NULLS NOT DISTINCT needs PostgreSQL 15; the target runs 13 (added table 'station')");
    const json = await runCli(['-x', 'db=old', '--json', 'check'], { cwd: project.dir, env });
    expect(json.code).to.equal(2);
    expect(JSON.stringify(JSON.parse(json.stdout || json.stderr))).to.contain('VERSION_FEATURE');
  });

  it('checks the same model without the feature against a dev database of the target major', async () => {
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL(`.unique(['code'], 'station_code_key')`));
    const r = await runCli(['-x', 'db=old', 'check'], { cwd: project.dir, env });
    expect(r.code, r.stderr).to.equal(1); // one difference: the unique constraint
    expect(r.stdout).to.match(/1 difference/);
    // the embedded dev database of the target's major, in the user cache folder the CLI uses
    expect(fs.readFileSync(path.join(userCacheDir({ ...process.env, ...env }), 'dev-13', 'pgdata', 'PG_VERSION'), 'utf8').trim()).to.equal('13');
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject, runCli } from '../../support/cli';

describe('cli: init writes a neutral project', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-init-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scaffolds alembic.ini, revisions/, a model stub, .gitignore and tsconfig.json with nothing of CRMP in them', async () => {
    const r = await runCli(['init', 'app'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    const app = path.join(dir, 'app');
    expect(fs.readdirSync(app).sort()).to.deep.equal(['.gitignore', 'alembic.ini', 'model', 'revisions', 'tsconfig.json']);
    const ini = fs.readFileSync(path.join(app, 'alembic.ini'), 'utf8');
    expect(ini)
      .to.match(/^schema_name = public$/m)
      .and.match(/^model = model\/index\.ts$/m)
      .and.match(/^# su_role_name = /m);
    expect(ini + fs.readFileSync(path.join(app, 'model', 'index.ts'), 'utf8')).not.to.match(/crmp/i);
    expect(fs.readFileSync(path.join(app, '.gitignore'), 'utf8')).to.contain('.retort/\nbackups/\n');
    // the project it wrote is one the CLI reads: no revisions yet, and the model loads
    const heads = await runCli(['heads'], { cwd: app });
    expect(heads.code, heads.stderr).to.equal(0);
    expect(heads.stdout).to.equal('');
  });

  it("keeps a team's own variables and role, and never writes a password", async () => {
    const r = await runCli(
      ['--url', 'host=db.example dbname=crmp user=me password=hunter22', 'init', '--schema', '${PYCDS_SCHEMA_NAME:-crmp}', '--su-role', 'pcicdba'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout + r.stderr).not.to.contain('hunter22');
    const ini = fs.readFileSync(path.join(dir, 'alembic.ini'), 'utf8');
    expect(ini).not.to.contain('hunter22');
    expect(ini)
      .to.match(/^schema_name = \$\{PYCDS_SCHEMA_NAME:-crmp\}$/m)
      .and.match(/^su_role_name = pcicdba$/m);
    expect(ini).to.match(/^sqlalchemy\.url = postgresql:\/\/me:\$\{PGPASSWORD\}@db\.example\/crmp$/m);
  });

  it('adds its lines to an existing .gitignore, and refuses to overwrite a project', async () => {
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.retort/\n');
    expect((await runCli(['init'], { cwd: dir })).code).to.equal(0);
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).to.equal('node_modules/\n.retort/\n# Retort\nbackups/\n');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).to.equal(2);
    expect(again.stderr.trim().split('\n')).to.have.length(1);
    expect(again.stderr).to.match(/alembic\.ini already exists/);
    const bad = await runCli(['init', 'other', '--schema', 'a;drop'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(fs.existsSync(path.join(dir, 'other'))).to.equal(false);
  });

  it('commands that need a model say how to get one when the project has none', async () => {
    const project = createProject({ labels: { dev: 'postgresql://nobody@127.0.0.1:1/none' } });
    try {
      for (const args of [['check'], ['revision', '--autogenerate', '-m', 'x'], ['setup']]) {
        const r = await runCli(['-x', 'db=dev', ...args], { cwd: project.dir });
        expect(r.code, args.join(' ')).to.equal(2);
        expect(r.stderr.trim()).to.match(
          /^migrate: error: No model is configured in .*alembic\.ini\. Add "model = <module>" .* "migrate -x db=<label> pull -o model\/index\.ts"\.$/,
        );
      }
    } finally {
      project.remove();
    }
  });
});

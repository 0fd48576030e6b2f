import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli, type CliResult, CRMP_MODEL } from '../../support/cli';

// The README's first command, start to finish, as a new user runs it: a copy of the project's
// alembic.ini and revisions/ in an empty folder, `-x db=local`, no server and no
// TEST_DATABASE_URL. The private server lives for one command at a time.

const HEAD = 'e6f1b3a5d7c9';

/** Live processes whose command line names `dir` (the postmaster is started with `-D <pgdata>`). */
function processesNaming(dir: string): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (cmdline.includes(dir)) found.push(`${name}: ${cmdline.trim()}`);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

describe('cli: -x db=local, the embedded default, in a fresh folder (end to end)', function () {
  this.timeout(180_000);
  let dir: string;
  let dataDir: string;

  /** The built CLI in `dir`, with no database settings in the environment at all. */
  const local = async (args: readonly string[]): Promise<CliResult> => {
    const r = await runCli(['-x', 'db=local', ...args], { cwd: dir, env: { TEST_DATABASE_URL: undefined, PGHOST: undefined, PGPORT: undefined } });
    // Each command stops the server it started: nothing of it may outlive the command.
    expect(fs.existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid')), `postmaster.pid left after ${args.join(' ')}`).to.equal(false);
    expect(processesNaming(dataDir), `processes left after ${args.join(' ')}`).to.deep.equal([]);
    return r;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-local-'));
    // As root the server runs as the OS user postgres, which must pass through the project folder.
    fs.chmodSync(dir, 0o755);
    // The project's alembic.ini names its model relative to the repository: point at it from here.
    fs.writeFileSync(
      path.join(dir, 'alembic.ini'),
      fs.readFileSync(path.join(ROOT, 'alembic.ini'), 'utf8').replace('model = src/crmp/index.ts', `model = ${CRMP_MODEL}`),
    );
    fs.cpSync(path.join(ROOT, 'revisions'), path.join(dir, 'revisions'), { recursive: true });
    dataDir = path.join(dir, '.retort', 'local');
  });

  after(() => {
    // A failed assertion must not leave a server running.
    const pidFile = path.join(dataDir, 'pgdata', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the copied revisions import nothing from the repository at run time (type-only imports)', () => {
    const valueImports = fs
      .readdirSync(path.join(dir, 'revisions'))
      .flatMap((f) =>
        fs
          .readFileSync(path.join(dir, 'revisions', f), 'utf8')
          .split('\n')
          .map((line) => `${f}: ${line}`),
      )
      .filter((line) => /:\s*import\s/.test(line) && !/:\s*import type\s/.test(line) && /from '\.{1,2}\//.test(line));
    expect(valueImports).to.deep.equal([]);
  });

  it('upgrade head creates the cluster and builds CRMP; current, downgrade base and setup follow, each with the server stopped after', async () => {
    const up = await local(['upgrade', 'head']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout).to.match(/^Running upgrade <base> -> 5e1a0c3b7d24, /);
    expect(up.stdout).to.contain(`Running upgrade 3c8d0f5b2e97 -> ${HEAD}`);
    expect(fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION')), 'cluster in .retort/local').to.equal(true);
    expect(fs.readdirSync(path.join(dir, '.retort')), 'only the cluster in the project (compiled revisions go to the user cache)').to.deep.equal(['local']);

    const current = await local(['current']);
    expect(current.code, current.stderr).to.equal(0);
    expect(current.stdout.trim()).to.equal(`${HEAD} (head)`);

    const down = await local(['downgrade', 'base']);
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stdout).to.contain(`Running downgrade 5e1a0c3b7d24 -> <base>`);
    expect((await local(['current'])).stdout.trim()).to.equal('<base>');

    // The embedded label provisions the schema (and the SU role), so setup needs no flag.
    const setup = await local(['-x', 'schema=crmp_setup', 'setup']);
    expect(setup.code, setup.stderr).to.equal(0);
    expect(setup.stdout.trim()).to.match(new RegExp(`^Built \\d+ objects into local:crmp_setup; stamped ${HEAD}$`));
    expect((await local(['-x', 'schema=crmp_setup', 'current'])).stdout.trim()).to.equal(`${HEAD} (head)`);
    // The data outlived every server: the first schema is still at base, not rebuilt.
    expect((await local(['current'])).stdout.trim()).to.equal('<base>');
  });
});

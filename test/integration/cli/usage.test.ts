import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli } from '../../support/cli';

/** Every usage error: exit 2, one line on stderr with the one prefix, nothing on stdout. */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).to.equal(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^migrate: error: /);
  expect(lines[0]).to.match(pattern);
  expect(r.stdout).to.equal('');
}

/** Source files under src/ (recursively). */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('cli: version, help and usage errors', () => {
  // No alembic.ini here: none of these needs a project.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-usage-'));
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('--version and -V print the package version and exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], { cwd });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(`${version}\n`);
    }
  });

  it('migrate with no command prints the help to stderr and exits 2; so does a command group without its command', async () => {
    const r = await runCli([], { cwd });
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^Usage: migrate \[options\] \[command\]/);
    const db = await runCli(['db'], { cwd });
    expect(db.code).to.equal(2);
    expect(db.stderr).to.match(/^Usage: migrate db/);
  });

  it('--help shows examples and the environment variables, each of them read somewhere in src/', async () => {
    const r = await runCli(['--help'], { cwd });
    expect(r.code).to.equal(0);
    expect(r.stdout)
      .to.include('Examples:')
      .and.include('migrate -x db=dev upgrade head')
      .and.include('SCHEMA_NAME=tenant_a migrate')
      .and.include('downgrade -1');
    expect(r.stdout).to.include("--schemas 'tenant_*' upgrade head").and.include('revision --autogenerate -m');
    const env = r.stdout.slice(r.stdout.indexOf('Environment variables:'), r.stdout.indexOf('Exit codes:'));
    const names = [...new Set(env.match(/\b[A-Z][A-Z_]{3,}\b/g) ?? [])];
    expect(names).to.include.members(['SCHEMA_NAME', 'SU_ROLE_NAME', 'DATABASE_URL', 'PGUSER', 'PGPASSWORD', 'PGCONNECT_TIMEOUT', 'NO_COLOR']);
    const text = sources(path.join(ROOT, 'src'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    // A variable that pg reads for us (PGUSER, PGPORT, PGDATABASE, PGPASSWORD) is named by src/ where it is used or explained.
    for (const name of names) expect(text, `${name} is listed in the help but src/ never mentions it`).to.match(new RegExp(`\\b${name}\\b`));
  });

  it('an unknown command or option: one line with the one prefix and a suggestion, exit 2', async () => {
    expectUsageError(await runCli(['upgarde'], { cwd }), /unknown command 'upgarde'; did you mean "upgrade"\?$/);
    expectUsageError(await runCli(['db', 'inti'], { cwd }), /unknown command 'inti'; did you mean "init"\?$/);
    expectUsageError(await runCli(['--jsn', 'current'], { cwd }), /unknown option '--jsn'; did you mean "--json"\?$/);
    expectUsageError(await runCli(['upgrade', '--no-such-flag'], { cwd }), /unknown option '--no-such-flag'\. Run "migrate upgrade --help" for usage\.$/);
    expectUsageError(await runCli(['revision'], { cwd }), /required option '-m, --message <message>' not specified\. Run "migrate revision --help"/);
    expectUsageError(await runCli(['--jobs', 'x', 'current'], { cwd }), /x is not a positive number/);
  });

  it('-x without = is explained, before the word after it is taken for a command', async () => {
    expectUsageError(await runCli(['-x', 'db', 'one', 'current'], { cwd }), /-x db is not key=value: -x takes key=value, e.g\. -x db=one\.$/);
    expectUsageError(await runCli(['-x', 'db', 'current'], { cwd }), /-x db is not key=value: -x takes key=value, e.g\. -x db=dev\.$/);
  });

  it('under --json a usage error is the JSON envelope on stdout, and the same line on stderr', async () => {
    const r = await runCli(['--json', 'upgarde'], { cwd });
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.stdout)).to.deep.equal({
      ok: false,
      command: 'migrate',
      targets: [],
      error: { code: 'USAGE', message: 'unknown command \'upgarde\'; did you mean "upgrade"?' },
    });
    expect(r.stderr.trim()).to.equal('migrate: error: unknown command \'upgarde\'; did you mean "upgrade"?');
    const none = await runCli(['--json'], { cwd });
    expect(none.code).to.equal(2);
    expect(JSON.parse(none.stdout)).to.deep.equal({
      ok: false,
      command: 'migrate',
      targets: [],
      error: { code: 'USAGE', message: 'no command given. Run "migrate --help" for the commands.' },
    });
  });
});

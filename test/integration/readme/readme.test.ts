/**
 * README.md runs as written: every ```sh block, in order, in one bash process, in a scratch copy
 * of this repository (its tracked files, with this checkout's node_modules and dist/ linked in),
 * against a fresh database of its own (DATABASE_URL, TEST_DATABASE_URL) and the embedded `[local]`
 * database (kept in the copy's .retort/local). The package counts as installed: `migrate` and
 * `retort-migrate` are this checkout's bin in a scratch npm prefix (what `npm install -g` or
 * `npm link` gives), so `npx migrate` resolves in any folder, as it does in an app that installed it.
 * TMPDIR and XDG_CACHE_HOME point into the scratch folder, so `mktemp` folders, the embedded dev
 * database and compiled-code caches all go when it is removed.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../support/cli';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { badFences, codeBlocks, readmeScript, shellBlocks, type ShellBlock } from './readme-blocks';

const README = path.join(ROOT, 'README.md');
const TIME_LIMIT_MS = 12 * 60_000;

describe('README block rules (readme-blocks.ts)', () => {
  const md = [
    '# t',
    '```sh',
    'echo one',
    '```',
    '```',
    'hidden',
    '```',
    '~~~bash',
    'echo two',
    '~~~',
    '```sh',
    '# not run: needs prod',
    'x',
    '```',
    '```text',
    'out',
    '```',
  ].join('\n');

  it('finds every fence, and flags one with no or another language', () => {
    const blocks = codeBlocks(md);
    expect(blocks.map((b) => [b.line, b.lang])).to.deep.equal([
      [2, 'sh'],
      [5, ''],
      [8, 'bash'],
      [11, 'sh'],
      [15, 'text'],
    ]);
    expect(badFences(blocks).map((b) => b.line)).to.deep.equal([5, 8]);
  });

  it('reads the reason of a block that is not run, and leaves it out of the script', () => {
    const sh = shellBlocks(codeBlocks(md));
    expect(sh.map((b) => b.notRun)).to.deep.equal([undefined, 'needs prod']);
    const script = readmeScript(sh);
    expect(script).to.match(/^set -euo pipefail\n/);
    expect(script).to.contain('README_BLOCK=\'README block 1/1, line 2: echo one\'\necho "### $README_BLOCK"\necho one\n');
    expect(script).not.to.contain('needs prod');
  });

  it('refuses a block that is never closed', () => {
    expect(() => codeBlocks('```sh\necho')).to.throw(/line 1: the code block is never closed/);
  });
});

describe('README.md', function () {
  const blocks = codeBlocks(fs.readFileSync(README, 'utf8'));

  it('has a language on every code block, one of sh, text, ts, ini, json', () => {
    const bad = badFences(blocks).map((b) => `line ${b.line}: \`\`\`${b.lang || '(none)'}`);
    expect(bad, 'fences with no or another language (a command could hide there)').to.deep.equal([]);
  });

  it('gives a reason for every shell block that is not run', () => {
    const sh = shellBlocks(blocks);
    expect(sh.filter((b) => b.notRun === undefined).length).to.be.greaterThan(10);
    const notRun = sh.filter((b) => b.notRun !== undefined);
    for (const b of notRun) expect(b.notRun, `README.md line ${b.line}: "# not run:" needs a reason`).to.match(/\w{3,}/);
    console.log(`      not run (${notRun.length}):\n${notRun.map((b) => `        line ${b.line}: ${b.notRun}`).join('\n')}`);
  });

  describe('every shell block, in order, in one bash process', function () {
    this.timeout(TIME_LIMIT_MS + 60_000);
    let db: TestDatabase;
    let scratch: string;
    let project: string;
    let statusBefore: string;

    before(async () => {
      statusBefore = gitStatus();
      db = await createTestDatabase('readme');
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-readme-'));
      // Run as root, the embedded server runs as the OS user postgres, which must pass through.
      fs.chmodSync(scratch, 0o755);
      project = path.join(scratch, 'retort');
      copyTrackedFiles(project);
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
      fs.symlinkSync(path.join(ROOT, 'dist'), path.join(project, 'dist'));
      const bin = path.join(scratch, 'npm-global', 'bin');
      fs.mkdirSync(bin, { recursive: true });
      for (const name of ['migrate', 'retort-migrate']) fs.symlinkSync(path.join(project, 'bin', 'migrate.js'), path.join(bin, name));
      for (const dir of ['tmp', 'cache']) fs.mkdirSync(path.join(scratch, dir), { mode: 0o755 });
      // `import 'retort-migrate'` (NODE_PATH) and `npx tsx` resolve in any folder too. Not a node_modules above the
      // scratch folders: an `npm install` there would prune this checkout's node_modules through the links.
      fs.mkdirSync(path.join(scratch, 'npm-global', 'lib', 'node_modules'), { recursive: true });
      fs.symlinkSync(project, path.join(scratch, 'npm-global', 'lib', 'node_modules', 'retort-migrate'));
      fs.symlinkSync(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(bin, 'tsx'));
    });

    after(async () => {
      if (scratch) {
        stopServersUnder(scratch);
        fs.rmSync(scratch, { recursive: true, force: true });
      }
      if (db) await db.drop();
    });

    it('exits 0 and leaves the working tree as it was', async () => {
      const sh = shellBlocks(blocks);
      const result = await runBash(readmeScript(sh), {
        cwd: project,
        env: readmeEnv(db.url, scratch),
        timeoutMs: TIME_LIMIT_MS,
      });
      // README_TRANSCRIPT=<file> keeps what the blocks printed: where the README's ```text outputs come from.
      if (process.env.README_TRANSCRIPT) fs.writeFileSync(process.env.README_TRANSCRIPT, result.output);
      if (result.code !== 0) {
        const failed = failedBlock(sh, result.stdout);
        throw new Error(
          [
            `README.md shell blocks: bash ${result.timedOut ? `ran out of time (${TIME_LIMIT_MS / 1000} s)` : `exited ${result.code}`}`,
            failed ? `in the block at README.md line ${failed.line}:\n${failed.body}` : '',
            `--- output (last 80 lines)\n${tail(result.output, 80)}`,
          ].join('\n'),
        );
      }
      expect(result.stdout).to.contain('### README: every block ran');
      expect(gitStatus(), 'git status of the working tree').to.equal(statusBefore);
    });
  });
});

/** The repository's tracked files (`git ls-files`), copied as they are in the working tree. */
function copyTrackedFiles(to: string): void {
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(from, path.join(to, file));
    fs.chmodSync(path.join(to, file), fs.statSync(from).mode);
  }
}

function readmeEnv(url: string, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['SCHEMA_NAME', 'SU_ROLE_NAME', 'PGPASSWORD', 'NO_COLOR', 'FORCE_COLOR', 'RETORT_TIMINGS']) delete env[k];
  const bin = path.join(scratch, 'npm-global', 'bin');
  return {
    ...env,
    DATABASE_URL: url,
    TEST_DATABASE_URL: url,
    TMPDIR: path.join(scratch, 'tmp'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'),
    npm_config_prefix: path.join(scratch, 'npm-global'),
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    PATH: `${bin}${path.delimiter}${env.PATH ?? ''}`,
    NODE_PATH: path.join(scratch, 'npm-global', 'lib', 'node_modules'),
  };
}

interface BashResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came, interleaved. */
  readonly output: string;
  readonly timedOut: boolean;
}

/** Runs a script with bash in a process group of its own, killed whole when it runs out of time. */
function runBash(script: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output, timedOut });
    });
  });
}

/** The block named by the last `### README block` marker in the output. */
function failedBlock(blocks: readonly ShellBlock[], stdout: string): ShellBlock | undefined {
  const line = [...stdout.matchAll(/^### README block \d+\/\d+, line (\d+):/gm)].map((m) => Number(m[1])).pop();
  return blocks.find((b) => b.line === line);
}

function tail(text: string, n: number): string {
  return text.split('\n').slice(-n).join('\n');
}

/** `git status` with untracked and ignored files: a `.retort/` or a revision written into the checkout shows. */
function gitStatus(): string {
  return spawnSync('git', ['status', '--porcelain', '--ignored'], { cwd: ROOT, encoding: 'utf8' }).stdout;
}

/**
 * Embedded servers stop when their last command ends; one left running by a command that was
 * killed (the time limit) is stopped here, before its folder goes: immediate shutdown (SIGQUIT).
 */
function stopServersUnder(dir: string): void {
  const found = spawnSync('find', [dir, '-name', 'postmaster.pid'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const file of found) {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    try {
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // not running
    }
  }
}

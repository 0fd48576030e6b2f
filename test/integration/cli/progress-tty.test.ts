/**
 * What a person sees on a terminal: the CLI runs under a real pseudo-terminal (util-linux
 * `script`, sized with `stty`), its raw output is replayed through a small terminal emulator
 * (test/support/terminal.ts), and the tests look at the final screen.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { BIN, createProject, runCli, type RevisionSpec, type TestProject } from '../../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { replay, type Replay } from '../../support/terminal';

const SCHEMAS = ['tenant_a', 'tenant_b', 'tenant_c'];
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const IDS = ['aaaa00000001', 'bbbb00000002', 'cccc00000003'];

/** Three revisions, each sleeping `sleep` seconds (the middle one `middleSleep`) so the display redraws. */
function sleepingRevisions(sleep: number, middleSleep = sleep): RevisionSpec[] {
  return IDS.map((id, i) => ({
    id,
    down: i === 0 ? null : IDS[i - 1]!,
    message: `create t${i + 1}`,
    up: [
      `  await ctx.sql\`select pg_sleep(${i === 1 ? middleSleep : sleep}) -- progress ${id}\`.execute(ctx.db);`,
      `  await ctx.sql\`create table \${ctx.sql.id(ctx.schema, 't${i + 1}')} (id int)\`.execute(ctx.db);`,
    ].join('\n'),
    downBody: `  await ctx.sql\`drop table \${ctx.sql.id(ctx.schema, 't${i + 1}')}\`.execute(ctx.db);`,
  }));
}

interface PtyRun {
  readonly code: number | null;
  /** Everything the terminal received (both streams, as a person sees them). */
  readonly raw: string;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `migrate <args>` on a pseudo-terminal of `cols` columns. `interrupt`: once it returns true
 * for the output so far, Ctrl-C is typed (the terminal sends SIGINT to the foreground process group).
 */
function runInPty(
  args: readonly string[],
  options: { cwd: string; cols: number; env?: Record<string, string>; interrupt?: (raw: string) => boolean; limitMs?: number },
): Promise<PtyRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...options.env };
  for (const k of ['DATABASE_URL', 'SCHEMA_NAME', 'SU_ROLE_NAME', 'PGPASSWORD', 'NO_COLOR', 'FORCE_COLOR', 'CI']) if (!options.env?.[k]) delete env[k];
  const command = `stty cols ${options.cols} rows 40; exec ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${args.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let interrupted = false;
  child.stdout!.on('data', (d: Buffer) => {
    raw += d.toString();
    if (options.interrupt && !interrupted && options.interrupt(raw)) {
      interrupted = true;
      child.stdin!.write('\x03');
    }
  });
  const limitMs = options.limitMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`migrate ${args.join(' ')} under script was still running after ${limitMs} ms. Output: ${raw}`));
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, raw });
    });
  });
}

/** The step lines of a finished step, as the live display leaves them: `[t] Running upgrade a -> b, msg ... done (N ms)`. */
function doneLine(target: string, i: number): RegExp {
  const from = i === 0 ? '<base>' : IDS[i - 1]!;
  return new RegExp(`^\\[dev:${target}\\] Running upgrade ${from} -> ${IDS[i]}, create t${i + 1} \\.\\.\\. done \\(\\d+(\\.\\d+)? m?s\\)$`);
}

/** Checks every fleet screen must pass: nothing left of the live lines, nothing redrawn wider than the terminal. */
function expectCleanScreen(screen: Replay, cols: number): void {
  expect(
    screen.rows.filter((r) => SPINNER.test(r.text)),
    'live lines left on screen',
  ).to.deep.equal([]);
  expect(screen.watchedWraps, 'live lines that wrapped').to.equal(0);
  // Every row a redraw removed was a whole live line (a target's, or the count of targets), never
  // the tail of one that did not fit, and no wider than the terminal.
  expect(screen.erased.length, 'redrawn rows').to.be.above(0);
  for (const row of screen.erased) {
    // (`^C` is the terminal's echo of Ctrl-C, below the live lines: it goes with them.)
    expect(row).to.match(/^([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] dev:tenant_\w {2}|\d+ of \d+ targets done, |\^C$)/);
    expect(row.length, row).to.be.at.most(cols);
  }
  for (const row of screen.rows) expect(row.text.length, row.text).to.be.at.most(cols);
  // The summary table is cut to the terminal, never wrapped.
  const header = screen.rows.findIndex((r) => /^target\s/.test(r.text));
  expect(header, 'summary table').to.be.above(-1);
  expect(screen.rows.slice(header).filter((r) => r.wrapped)).to.deep.equal([]);
}

describe('cli: progress on a terminal (under a pseudo-terminal)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let project: TestProject;

  before(function () {
    if (spawnSync('script', ['--version']).status !== 0) throw new Error('util-linux `script` is needed for these tests (apt-get install bsdutils)');
  });
  beforeEach(async () => {
    db = await createTestDatabase('progress');
    await query(db.url, SCHEMAS.map((s) => `create schema ${s};`).join(' '));
    project = createProject({ labels: { dev: db.url }, revisions: sleepingRevisions(0.3) });
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  const fleet = ['-x', 'db=dev', '--schemas', 'tenant_*'];

  for (const cols of [50, 120]) {
    it(`${cols} columns: one live line per target with the running step, cut to the width; a clean screen and summary at the end`, async () => {
      const r = await runInPty([...fleet, 'upgrade', 'head'], { cwd: project.dir, cols });
      expect(r.code, r.raw).to.equal(0);
      const screen = replay(r.raw, { width: cols, watch: SPINNER });
      expect(screen.erasures, 'redraws').to.be.above(10);
      expect(screen.sgr, 'colour').to.be.above(0);
      expectCleanScreen(screen, cols);
      for (const s of SCHEMAS) {
        for (let i = 0; i < IDS.length; i++) {
          const lines = screen.lines.filter((l) => l.startsWith(`[dev:${s}] Running upgrade`) && l.includes(`-> ${IDS[i]},`));
          expect(lines, `${s} step ${i + 1}`).to.have.length(1);
          expect(lines[0]).to.match(doneLine(s, i));
        }
        expect(
          screen.lines.some((l) => new RegExp(`^dev:${s}\\s+<base>\\s+cccc00000003\\s.*ok \\(3 steps\\)$`).test(l)),
          `summary row of ${s}`,
        ).to.equal(true);
      }
      expect(screen.lines).to.include('3 of 3 targets succeeded.');
      // While it ran, the live line showed the step that was running (not the one that had finished), with n/N.
      const plain = r.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      const running =
        cols >= 120
          ? /⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/.source + ' dev:tenant_a  2/3  \\d+\\.\\d s  upgrade aaaa00000001 -> bbbb00000002, create t2'
          : ' dev:tenant_a  2/3  \\d+\\.\\d s  upgrade ';
      expect(plain).to.match(new RegExp(running));
    });
  }

  it('NO_COLOR: no colour at all, and still the live display', async () => {
    const r = await runInPty([...fleet, 'upgrade', 'head'], { cwd: project.dir, cols: 50, env: { NO_COLOR: '1' } });
    expect(r.code, r.raw).to.equal(0);
    expect(r.raw).to.not.match(/\x1b\[[0-9;]*m/);
    const screen = replay(r.raw, { width: 50, watch: SPINNER });
    expect(screen.sgr).to.equal(0);
    expect(screen.erasures, 'redraws').to.be.above(10);
    expectCleanScreen(screen, 50);
    expect(screen.lines).to.include('3 of 3 targets succeeded.');
  });

  it('CI=true on a terminal, and --json: plain lines, nothing redrawn', async () => {
    const ci = await runInPty([...fleet, 'upgrade', 'head'], { cwd: project.dir, cols: 50, env: { CI: 'true' } });
    expect(ci.code, ci.raw).to.equal(0);
    expect(ci.raw).to.not.match(/\x1b\[\d*[AJK]/);
    expect(ci.raw).to.match(/^\[dev:tenant_b\] Running upgrade aaaa00000001 -> bbbb00000002, create t2 \.\.\.\r$/m);
    expect(ci.raw).to.match(/^\[dev:tenant_b\] Upgraded aaaa00000001 -> bbbb00000002 in \d+ ms\r$/m);
    await runCli([...fleet, 'downgrade', 'base'], { cwd: project.dir });
    const json = await runInPty([...fleet, '--json', 'upgrade', 'head'], { cwd: project.dir, cols: 50 });
    expect(json.code, json.raw).to.equal(0);
    expect(json.raw).to.not.include('\x1b');
    expect(() => JSON.parse(json.raw)).to.not.throw();
  });

  it('not a terminal: one plain line per event, no escape sequence', async () => {
    const r = await runCli([...fleet, 'upgrade', 'head'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout + r.stderr).to.not.include('\x1b');
    for (const s of SCHEMAS) {
      expect(r.stdout).to.match(new RegExp(`^\\[dev:${s}\\] Running upgrade <base> -> aaaa00000001, create t1 \\.\\.\\.$`, 'm'));
      expect(r.stdout).to.match(new RegExp(`^\\[dev:${s}\\] Upgraded <base> -> aaaa00000001 in \\d+ ms$`, 'm'));
    }
    // The whole table, however wide: a pipe has no width.
    expect(r.stdout).to.match(/^dev:tenant_a\s+<base>\s+cccc00000003\s+\d+ ms\s+ok \(3 steps\)$/m);
  });

  it('one target: each step line is written as the step starts and completed in place when it ends', async () => {
    const r = await runInPty(['-x', 'db=dev', '-x', 'schema=tenant_a', 'upgrade', 'head'], { cwd: project.dir, cols: 120 });
    expect(r.code, r.raw).to.equal(0);
    const screen = replay(r.raw, { width: 120 });
    expect(screen.erasures).to.equal(0);
    expect(screen.lines).to.have.length(3);
    screen.lines.forEach((l, i) => expect(l).to.match(new RegExp(doneLine('tenant_a', i).source.replace('\\[dev:tenant_a\\] ', ''))));
  });

  it('Ctrl-C: the live lines go, each target says what was rolled back, exit 130, nothing changed', async () => {
    const slow = createProject({ labels: { dev: db.url }, revisions: sleepingRevisions(0.1, 30) });
    try {
      const started = Date.now();
      // Typed once every target is in its 30 s step.
      const r = await runInPty([...fleet, 'upgrade', 'head'], {
        cwd: slow.dir,
        cols: 50,
        interrupt: (raw) => SCHEMAS.every((s) => new RegExp(`dev:${s}  2/3 `).test(raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''))),
      });
      expect(Date.now() - started, 'far sooner than the 30 s step').to.be.below(20_000);
      expect(r.code, r.raw).to.equal(130);
      const screen = replay(r.raw, { width: 50, watch: SPINNER });
      expectCleanScreen(screen, 50);
      expect(screen.lines).to.include('Interrupted (SIGINT): cancelling the running statements of 3 targets and rolling back ...');
      for (const s of SCHEMAS) {
        const said = screen.lines.filter((l) => l.startsWith(`[dev:${s}] Interrupted (SIGINT)`));
        expect(said, s).to.deep.equal([
          `[dev:${s}] Interrupted (SIGINT) during revision bbbb00000002 (create t2): its running statement was cancelled and what was not committed rolled back; schema "${s}" stays at base.`,
        ]);
      }
      expect(screen.lines).to.include('0 of 3 targets succeeded, 3 interrupted.');
      for (const s of SCHEMAS) expect(await query(db.url, 'select tablename from pg_tables where schemaname = $1', [s])).to.deep.equal([]);
    } finally {
      slow.remove();
    }
  });
});

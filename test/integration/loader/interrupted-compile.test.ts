import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../support/cli';

/**
 * Ctrl-C reaches esbuild's service process as well as the CLI (one process group): a compile then
 * fails with esbuild's "The service is no longer running". After an interruption, that failure is
 * reported as the interruption, never as a fault of the file. Each case runs a fresh Node process on
 * dist/ (the interruption is process-wide state).
 */
describe('loader: a compile that fails after Ctrl-C is reported as the interruption', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-interrupted-compile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const compile = (file: string, interrupted: boolean) => {
    const script = `
      const { compileModule } = require(${JSON.stringify(path.join(ROOT, 'dist', 'loader', 'compile-module.js'))});
      const { interrupt } = require(${JSON.stringify(path.join(ROOT, 'dist', 'target', 'interrupt.js'))});
      ${interrupted ? "interrupt('SIGINT');" : ''}
      compileModule({ kind: 'revision', file: ${JSON.stringify(file)}, source: require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8') })
        .then(() => console.log(JSON.stringify({ ok: true })))
        .catch((e) => console.log(JSON.stringify({ code: e.code, exitCode: e.exitCode, message: e.message })));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as { ok?: boolean; code?: string; exitCode?: number; message?: string };
  };

  it('names the interruption (exit 130), not the file, once SIGINT has arrived', () => {
    const file = path.join(dir, 'broken.ts');
    fs.writeFileSync(file, 'export const x = ;\n');
    expect(compile(file, false)).to.include({ code: 'REVISION_SYNTAX' });
    const after = compile(file, true);
    expect(after).to.include({ code: 'INTERRUPTED', exitCode: 130 });
    expect(after.message).to.equal(`Interrupted (SIGINT) while compiling ${file}; nothing was run.`);
  });

  it('a file that compiles still compiles after an interruption (nothing else changes)', () => {
    const file = path.join(dir, 'fine.ts');
    fs.writeFileSync(file, 'export const x: number = 1;\n');
    expect(compile(file, true)).to.deep.equal({ ok: true });
  });
});

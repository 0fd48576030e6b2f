import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../support/cli';

/**
 * requireWithCodeCache writes its cache at process exit, so each case runs a fresh Node process
 * on the built module (dist/, compiled by `npm test`'s build step), as the CLI does.
 */
describe('loader: loading a CommonJS file through V8 code cache', () => {
  const loader = path.join(ROOT, 'dist', 'loader', 'code-cache.js');
  let dir: string;
  let file: string;
  let cacheDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-codecache-'));
    file = path.join(dir, 'lib.js');
    cacheDir = path.join(dir, 'v8');
    fs.writeFileSync(file, "const path = require('node:path');\nexports.answer = () => 6 * 7;\nexports.base = path.basename(__filename);\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Loads `target` in a child process, records `tags`, and prints what it got. */
  function load(tags: string[], cache = cacheDir, target = file): { answer: number; base: string; fromCache: boolean } {
    const script = `const m = require(${JSON.stringify(loader)}).requireWithCodeCache(${JSON.stringify(target)}, ${JSON.stringify(cache)});
for (const t of ${JSON.stringify(tags)}) m.use(t);
console.log(JSON.stringify({ answer: m.exports.answer(), base: m.exports.base, fromCache: m.fromCache }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as { answer: number; base: string; fromCache: boolean };
  }
  const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);
  /** The uses the cache of `file` covers, as a later process sees them. */
  const covered = () => {
    const script = `const c = require(${JSON.stringify(loader)}).readCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
console.log(JSON.stringify(c ? c.tags : null));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as string[] | null;
  };

  it('compiles on the first run, writes a cache covering its uses at exit, and uses it on the next', () => {
    expect(load(['upgrade'])).to.deep.equal({ answer: 42, base: 'lib.js', fromCache: false });
    const written = cacheFiles();
    expect(written).to.have.length(1);
    // Named after the file and its path, never after how it was used.
    expect(written[0]).to.match(/^lib\.js\.[0-9a-f]{12}\.cache$/);
    expect(covered()).to.deep.equal(['upgrade']);
    expect(load(['upgrade'])).to.deep.equal({ answer: 42, base: 'lib.js', fromCache: true });
    expect(cacheFiles()).to.deep.equal(written);
  });

  it('replaces the cache with one covering both uses when a run uses the file in a new way', () => {
    load(['downgrade']);
    expect(load(['upgrade']).fromCache).to.equal(true);
    expect(cacheFiles()).to.have.length(1);
    expect(covered()).to.deep.equal(['downgrade', 'upgrade']);
    expect(load(['downgrade', 'upgrade']).fromCache).to.equal(true);
  });

  it('does not use the cache of an earlier version of the file, even one of the same length', () => {
    // V8 checks a cache against the source's length only: a rebuilt bundle of the same size
    // would run the old code. The cache records the file's size and modification time.
    load(['upgrade']);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('6 * 7', '6 * 8'));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(load(['upgrade'])).to.deep.equal({ answer: 48, base: 'lib.js', fromCache: false });
    expect(cacheFiles(), 'the old cache is replaced').to.have.length(1);
    expect(load(['upgrade'])).to.deep.equal({ answer: 48, base: 'lib.js', fromCache: true });
  });

  it('keeps one cache per file in a shared folder, and removes the caches of files that are gone', () => {
    const other = path.join(dir, 'other', 'lib.js');
    fs.mkdirSync(path.dirname(other));
    fs.copyFileSync(file, other);
    load(['upgrade']);
    load(['upgrade'], cacheDir, other);
    expect(cacheFiles(), 'two files of the same name, two caches').to.have.length(2);
    expect(load(['upgrade'], cacheDir, other).fromCache).to.equal(true);
    fs.rmSync(path.dirname(other), { recursive: true });
    load(['current']); // writes a cache: the one of the removed file goes
    expect(cacheFiles()).to.have.length(1);
    expect(covered()).to.deep.equal(['current', 'upgrade']);
  });

  it('ignores a corrupt cache (V8 rejects it) and writes a good one', () => {
    load(['current']);
    const [name] = cacheFiles();
    const bytes = fs.readFileSync(path.join(cacheDir, name!));
    const header = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
    fs.writeFileSync(path.join(cacheDir, name!), Buffer.concat([header, Buffer.from('not a V8 code cache')]));
    expect(load(['current'])).to.deep.equal({ answer: 42, base: 'lib.js', fromCache: false });
    expect(load(['current']).fromCache).to.equal(true);
    fs.writeFileSync(path.join(cacheDir, name!), 'no header at all');
    expect(load(['current']).fromCache).to.equal(false);
    expect(load(['current']).fromCache).to.equal(true);
  });

  it('runs without a cache where none can be written', () => {
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    expect(load(['upgrade'], path.join(blocked, 'v8'))).to.deep.equal({ answer: 42, base: 'lib.js', fromCache: false });
    expect(fs.statSync(blocked).isFile()).to.equal(true);
  });
});

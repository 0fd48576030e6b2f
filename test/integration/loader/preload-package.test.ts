import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../support/cli';

/**
 * preloadPackage changes the module cache of the process it runs in, so each case runs a fresh
 * Node process on the built module (dist/, compiled by `npm test`'s build step), as bin/migrate.js does.
 */
describe('loader: a package loaded from one cached bundle', () => {
  const loader = path.join(ROOT, 'dist', 'loader', 'preload-package.js');
  let app: string;
  let cacheDir: string;
  beforeEach(() => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-preload-'));
    cacheDir = path.join(app, 'cache');
    const pkg = path.join(app, 'node_modules', 'fakepkg');
    fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'fakepkg', version: '1.2.3', main: 'lib/index.js' }));
    fs.writeFileSync(path.join(pkg, 'lib', 'index.js'), "exports.tag = require('./tag').tag;\n");
    fs.writeFileSync(path.join(pkg, 'lib', 'tag.js'), "exports.tag = 'one';\n");
    fs.mkdirSync(path.join(app, 'project'));
  });
  afterEach(() => fs.rmSync(app, { recursive: true, force: true }));

  /** In a child process: preload, then require the package from two places. */
  function run(cache = cacheDir, from = app): { preloaded: boolean; same: boolean; tag: string; moduleFiles: number } {
    const script = `const path = require('node:path');
const { createRequire } = require('node:module');
const p = require(${JSON.stringify(loader)}).preloadPackage('fakepkg', { from: ${JSON.stringify(from)}, cacheDir: ${JSON.stringify(cache)} });
const a = createRequire(path.join(${JSON.stringify(from)}, 'x.js'))('fakepkg');
const b = createRequire(path.join(${JSON.stringify(from)}, 'project', 'model.js'))('fakepkg');
console.log(JSON.stringify({ preloaded: p !== undefined, same: a === b, tag: a.tag, moduleFiles: Object.keys(require.cache).filter((f) => f.includes('fakepkg')).length }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as { preloaded: boolean; same: boolean; tag: string; moduleFiles: number };
  }

  it('gives every require in the process one module, loaded from a single bundled file', () => {
    expect(run()).to.deep.equal({ preloaded: true, same: true, tag: 'one', moduleFiles: 1 });
    const bundles = fs.readdirSync(cacheDir).filter((n) => /^fakepkg-1\.2\.3-[0-9a-f]{12}\.js$/.test(n));
    expect(bundles).to.have.length(1);
    const built = fs.statSync(path.join(cacheDir, bundles[0]!)).mtimeMs;
    expect(run()).to.deep.equal({ preloaded: true, same: true, tag: 'one', moduleFiles: 1 });
    expect(fs.statSync(path.join(cacheDir, bundles[0]!)).mtimeMs, 'the bundle is reused').to.equal(built);
  });

  it('rebuilds the bundle when a file of the package changes, even with the version unchanged', () => {
    run();
    const tag = path.join(app, 'node_modules', 'fakepkg', 'lib', 'tag.js');
    fs.writeFileSync(tag, "exports.tag = 'patched';\n");
    fs.utimesSync(tag, new Date(), new Date(Date.now() + 5000));
    expect(run().tag).to.equal('patched');
  });

  it('removes the bundles of installs that are gone when it builds one', () => {
    const other = path.join(app, 'other');
    fs.cpSync(path.join(app, 'node_modules'), path.join(other, 'node_modules'), { recursive: true });
    run();
    run(cacheDir, other);
    const bundles = () => fs.readdirSync(cacheDir).filter((n) => /^fakepkg-.*\.js$/.test(n));
    expect(bundles()).to.have.length(2);
    fs.rmSync(other, { recursive: true });
    const tag = path.join(app, 'node_modules', 'fakepkg', 'lib', 'tag.js');
    fs.utimesSync(tag, new Date(), new Date(Date.now() + 5000));
    run(); // rebuilds this install's bundle, and drops the other's
    expect(bundles()).to.have.length(1);
  });

  it('loads the package the usual way when no bundle can be written, and does nothing when it is not installed', () => {
    const blocked = path.join(app, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    expect(run(path.join(blocked, 'cache'))).to.deep.equal({ preloaded: true, same: true, tag: 'one', moduleFiles: 2 });
    fs.rmSync(path.join(app, 'node_modules'), { recursive: true });
    const script = `console.log(require(${JSON.stringify(loader)}).preloadPackage('fakepkg', { from: ${JSON.stringify(app)}, cacheDir: ${JSON.stringify(cacheDir)} }) === undefined)`;
    expect(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout.trim()).to.equal('true');
  });
});

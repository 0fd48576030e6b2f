import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import { loadRevisions, shareRuntimeHelpers } from '../../../src/scripts/load-revisions';
import { revisionSource } from '../../support/cli';

describe('scripts: loading revisions through the compiled cache', () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-revs-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-cache-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('reads metadata, runs modules on demand, and rebuilds when a file changes', async () => {
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'first', extra: 'export const transactional = false;' }));
    fs.writeFileSync(
      path.join(dir, 'b2_second.js'),
      "exports.revision = 'b2'; exports.downRevision = 'a1'; exports.upgrade = async (ctx) => ctx.asSuperuser(async () => 1); exports.downgrade = async () => {};\n",
    );
    fs.writeFileSync(path.join(dir, 'notes.md'), 'not a revision');
    const first = await loadRevisions({ dir, cacheDir: cache });
    expect(first.revisions.map((r) => [r.id, r.downRevisions, r.transactional, r.needsSuperuser])).to.deep.equal([
      ['a1', [], false, false],
      ['b2', ['a1'], true, true],
    ]);
    expect(typeof first.module('b2').upgrade).to.equal('function');
    // A second load uses the manifest: same answer.
    const again = await loadRevisions({ dir, cacheDir: cache });
    expect(again.revisions.map((r) => r.id)).to.deep.equal(['a1', 'b2']);
    // Editing a file (size changes) invalidates the cache.
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'first, edited' }));
    const edited = await loadRevisions({ dir, cacheDir: cache });
    expect(edited.revisions[0]!.message).to.equal('first, edited');
    expect(edited.revisions[0]!.transactional).to.equal(true);
  });

  it('names the file when an export is missing', async () => {
    fs.writeFileSync(path.join(dir, 'x_bad.ts'), "export const revision = 'x';\nexport const downRevision = null;\n");
    let error: Error | undefined;
    try {
      await loadRevisions({ dir, cacheDir: cache });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/x_bad\.ts: export function upgrade\(ctx\) is missing/);
  });

  it('deletes earlier bundles once no running command can need them (their code caches go with the next one written)', async () => {
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'first' }));
    await loadRevisions({ dir, cacheDir: cache });
    const [folder] = fs.readdirSync(cache);
    const bundles = () =>
      fs
        .readdirSync(path.join(cache, folder!))
        .filter((n) => n.startsWith('bundle-'))
        .sort();
    const [first] = bundles();
    // An edit makes a second bundle; the first is recent, so a running command may still load it.
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'second' }));
    await loadRevisions({ dir, cacheDir: cache });
    expect(bundles()).to.have.length(2);
    expect(bundles()).to.include(first);
    // Once it is older than that, the next rebuild deletes it.
    const longAgo = new Date(Date.now() - 60 * 60 * 1000);
    fs.utimesSync(path.join(cache, folder!, first!), longAgo, longAgo);
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'third, longer' }));
    const third = await loadRevisions({ dir, cacheDir: cache });
    expect(third.revisions[0]!.message).to.equal('third, longer');
    expect(bundles()).to.not.include(first);
    expect(bundles()).to.have.length(2);
  });

  it("declares esbuild's helpers once for the bundle, and the modules still work", async () => {
    const compile = (ts: string) => transformSync(ts, { loader: 'ts', format: 'cjs', target: 'node20' }).code;
    const a = compile("import * as fs from 'node:fs';\nexport const revision = 'a';\nexport const exists = typeof fs.existsSync;");
    const b = compile("export const revision = 'b';\nexport default { x: 1 };");
    expect(a).to.match(/^var __create = /); // esbuild's preamble, which the bundle shares
    const { shared, bodies } = shareRuntimeHelpers([a, b]);
    for (const name of ['__defProp', '__export', '__copyProps', '__toCommonJS', '__toESM']) {
      expect(shared.match(new RegExp(`^var ${name} = `, 'gm')), name).to.have.length(1);
      for (const body of bodies) expect(body).not.to.match(new RegExp(`^var ${name} = `, 'm'));
    }
    const run = (body: string) => {
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', 'exports', 'require', `${shared}\n${body}`)(module, module.exports, require);
      return module.exports;
    };
    expect(run(bodies[0]!)).to.deep.include({ revision: 'a', exists: 'function' });
    expect(run(bodies[1]!)).to.deep.include({ revision: 'b', default: { x: 1 } });

    // A file whose helper differs (another esbuild) keeps its own preamble; the others still share.
    const other = b.replace('enumerable: true });', 'enumerable: true, configurable: false });');
    expect(other).not.to.equal(b);
    const mixed = shareRuntimeHelpers([a, other]);
    expect(mixed.bodies[1]).to.equal(other);
    expect(mixed.shared).not.to.match(/^var __export = /m);
    expect(mixed.bodies[0]).to.match(/^var __export = /m);
  });

  it('builds a bundle in which each revision no longer carries its own helpers', async () => {
    for (let i = 1; i <= 3; i++) {
      fs.writeFileSync(path.join(dir, `c${i}_rev.ts`), revisionSource({ id: `c${i}`, down: i > 1 ? `c${i - 1}` : null, message: `rev ${i}` }));
    }
    const set = await loadRevisions({ dir, cacheDir: cache });
    const bundleDir = fs.readdirSync(cache).map((d) => path.join(cache, d))[0]!;
    const bundle = fs.readFileSync(
      path.join(
        bundleDir,
        fs.readdirSync(bundleDir).find((n) => /^bundle-.*\.js$/.test(n))!,
      ),
      'utf8',
    );
    expect(bundle.match(/^var __copyProps = /gm)).to.have.length(1);
    expect(set.revisions.map((r) => set.module(r.id).revision)).to.deep.equal(['c1', 'c2', 'c3']);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRevisions } from '../../../src/scripts/load-revisions';
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
    fs.writeFileSync(path.join(dir, 'b2_second.js'), "exports.revision = 'b2'; exports.downRevision = 'a1'; exports.upgrade = async (ctx) => ctx.asSuperuser(async () => 1); exports.downgrade = async () => {};\n");
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

  it('deletes earlier bundles and their code caches once no running command can need them', async () => {
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'first' }));
    await loadRevisions({ dir, cacheDir: cache });
    const [folder] = fs.readdirSync(cache);
    const bundles = () => fs.readdirSync(path.join(cache, folder!)).filter((n) => n.startsWith('bundle-')).sort();
    const [first] = bundles();
    const v8 = path.join(cache, folder!, 'v8');
    fs.mkdirSync(v8, { recursive: true });
    fs.writeFileSync(path.join(v8, `${first}.11.0.load.cache`), 'cache of the first bundle');
    // An edit makes a second bundle; the first is recent, so a running command may still load it.
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'second' }));
    await loadRevisions({ dir, cacheDir: cache });
    expect(bundles()).to.have.length(2);
    expect(bundles()).to.include(first);
    // Once it is older than that, the next rebuild deletes it and its code cache.
    const longAgo = new Date(Date.now() - 60 * 60 * 1000);
    fs.utimesSync(path.join(cache, folder!, first!), longAgo, longAgo);
    fs.writeFileSync(path.join(dir, 'a1_first.ts'), revisionSource({ id: 'a1', message: 'third, longer' }));
    const third = await loadRevisions({ dir, cacheDir: cache });
    expect(third.revisions[0]!.message).to.equal('third, longer');
    expect(bundles()).to.not.include(first);
    expect(bundles()).to.have.length(2);
    expect(fs.readdirSync(v8).filter((n) => n.startsWith(first!))).to.deep.equal([]);
  });
});

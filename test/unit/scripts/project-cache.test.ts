import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectCacheDir } from '../../../src/scripts/project-cache';

describe('scripts: the per-project folder in the user cache', () => {
  let tmp: string;
  let root: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-projcache-'));
    root = path.join(tmp, 'cache', 'projects');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const project = (name: string) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  it('is one folder per project folder, named after it, outside it, and the same on every run', () => {
    const app = project('my app');
    const other = project(path.join('elsewhere', 'my app'));
    const a = projectCacheDir(app, root);
    expect(path.dirname(a)).to.equal(root);
    expect(path.basename(a)).to.match(/^my_app-[0-9a-f]{12}$/);
    expect(fs.statSync(a).isDirectory()).to.equal(true);
    expect(projectCacheDir(app, root)).to.equal(a);
    expect(projectCacheDir(`${app}${path.sep}`, root), 'the same folder spelled differently').to.equal(a);
    expect(projectCacheDir(other, root)).to.not.equal(a);
    expect(fs.readdirSync(app), 'nothing written into the project').to.deep.equal([]);
  });

  it('removes the folders of projects that no longer exist when it first sees a project', () => {
    const gone = project('gone');
    const kept = project('kept');
    const goneCache = projectCacheDir(gone, root);
    fs.writeFileSync(path.join(goneCache, 'bundle.js'), '');
    const keptCache = projectCacheDir(kept, root);
    fs.rmSync(gone, { recursive: true });
    projectCacheDir(kept, root); // a project seen before: nothing is scanned
    expect(fs.existsSync(goneCache)).to.equal(true);
    projectCacheDir(project('new'), root);
    expect(fs.existsSync(goneCache)).to.equal(false);
    expect(fs.existsSync(keptCache)).to.equal(true);
  });
});

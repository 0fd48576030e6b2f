import { expect } from 'chai';
import * as os from 'node:os';
import * as path from 'node:path';
import { providePackage, requireFrom } from '../../../src/loader/compile-module';

describe('loader: packages provided to project modules', () => {
  it('gives every project module the provided package, and resolves the others from the module folder', () => {
    const api = { marker: Symbol('api') };
    providePackage('retort-provide-test', () => api);
    const req = requireFrom(path.join(os.tmpdir(), 'some-project', 'model.ts'));
    expect(req('retort-provide-test')).to.equal(api);
    expect((req('node:path') as typeof path).basename('/a/b.ts')).to.equal('b.ts');
    expect(() => req('retort-not-installed-anywhere')).to.throw(/Cannot find module 'retort-not-installed-anywhere'/);
  });
});

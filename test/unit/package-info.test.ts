import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMBEDDED_POSTGRES_VERSION, PACKAGE_NAME, PACKAGE_VERSION } from '../../src/package-info';
import { ROOT } from '../support/cli';

interface PackageJson {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

describe('package.json: what users install', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

  it('is published under the name the templates and generated files import, with both bins', () => {
    expect(pkg.name).to.equal(PACKAGE_NAME);
    expect(pkg.bin).to.deep.equal({ migrate: 'bin/migrate.js', [PACKAGE_NAME]: 'bin/migrate.js' });
  });

  it('has the version migrate --version prints', () => {
    expect(pkg.version).to.equal(PACKAGE_VERSION);
  });

  it('takes kysely and embedded-postgres from the app, and tests with the versions it tells users to install', () => {
    expect(pkg.dependencies).to.not.have.any.keys('kysely', 'embedded-postgres');
    expect(pkg.peerDependencies).to.have.all.keys('kysely', 'embedded-postgres');
    expect(pkg.peerDependenciesMeta['embedded-postgres']?.optional).to.equal(true);
    expect(pkg.peerDependenciesMeta.kysely?.optional, 'kysely is required').to.equal(undefined);
    expect(pkg.devDependencies['embedded-postgres']).to.equal(EMBEDDED_POSTGRES_VERSION);
    expect(pkg.peerDependencies['embedded-postgres']).to.equal(`^${EMBEDDED_POSTGRES_VERSION}`);
  });

  it('asks for ranges of its runtime dependencies (the lockfile pins the repository)', () => {
    for (const [name, range] of Object.entries(pkg.dependencies)) expect(range, name).to.match(/^\^\d/);
  });
});

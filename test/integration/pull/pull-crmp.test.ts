/**
 * `pull` on the CRMP schema as the revisions build it: the pulled model builds the same schema
 * into another database and schema, and the file type-checks against the package.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../../support/database';
import { RevisionRunner } from '../../support/run-revisions';
import { createSuRole, type SuRole } from '../crmp/su-role';
import { connect, pullRoundTrip, typeErrors, type PullRoundTrip } from './pull-harness';

describe('pull: the CRMP schema built by the revisions (integration)', () => {
  let from: TestDatabase;
  let to: TestDatabase;
  let su: SuRole;
  let result: PullRoundTrip | undefined;

  before(async () => {
    [from, to] = await Promise.all([createTestDatabase('pull_crmp'), createTestDatabase('pull_crmp2')]);
    su = await createSuRole(await testServerUrl());
    const db = connect(from.url);
    try {
      await sql`create schema crmp`.execute(db);
    } finally {
      await db.destroy();
    }
    const runner = await RevisionRunner.open({ url: from.url, schema: 'crmp', suRole: su.name });
    try {
      await runner.upgrade();
    } finally {
      await runner.close();
    }
  });

  after(async () => {
    if (result) rmSync(result.dir, { recursive: true, force: true });
    await from?.drop();
    await to?.drop();
    await su?.drop();
  });

  it('builds, from the pulled model, the same snapshot and pg_dump into another schema of another database', async () => {
    result = await pullRoundTrip({ from: { url: from.url, schema: 'crmp' }, to: { url: to.url, schema: 'elsewhere' }, suRole: su.name, what: 'crmp' });
    expect(result.original.tables).to.have.length(18);
    expect(result.original.routines.filter((r) => r.privileged).map((r) => r.owner)).to.deep.equal([su.name]);
    expect(result.source).to.contain("const moddatetimeWrapper = pgFunction('moddatetime_wrapper', {");
    expect(result.source).to.contain('privileged: true,');
    expect(result.source).not.to.contain(su.name);
    expect(result.source).to.contain("from ${s('meta_vars')} v");
    expect(result.source).to.contain("columns, ${s.literal}, 'obs_raw'");
  });

  it('writes a file that type-checks against the package', () => {
    expect(result, 'the round trip ran').not.to.equal(undefined);
    expect(typeErrors(result!.dir)).to.deep.equal([]);
  });
});

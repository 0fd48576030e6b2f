/**
 * Every feature of the version list (src/diff/version-requirements.ts) on the server of
 * TEST_DATABASE_URL: from the major that has it, a model that uses it builds and the snapshot
 * reads it back; before that major, the build is refused by name and the schema stays as it was.
 * `npm run test:versions` runs this on every major and records the outcomes
 * (RETORT_VERSIONS_RESULTS) for the compatibility table.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { readSnapshot } from '../../src/catalog/read-snapshot';
import { VERSION_FEATURES } from '../../src/diff/version-requirements';
import { createAll, defineModel, integer, pgFunction, table, text, view, type AnyModel } from '../../src/model';
import type { Snapshot } from '../../src/schema/snapshot';
import { createTestDatabase, randomSchemaName, type TestDatabase } from '../support/database';

/** For each feature: a model that uses it, and how its snapshot shows it. */
const USES: Record<string, { model: () => AnyModel; shows: (s: Snapshot) => string | undefined }> = {
  'nulls-not-distinct': {
    model: () => defineModel({ tables: [table('t', { id: integer().primaryKey(), code: text() }).unique(['code'], 't_code_key', { nullsNotDistinct: true })] }),
    shows: (s) => s.tables.find((t) => t.name === 't')?.constraints.find((c) => c.name === 't_code_key')?.definition,
  },
  'security-invoker': {
    model: () => {
      const t = table('t', { id: integer().primaryKey() });
      return defineModel({ tables: [t], views: [view('v', { body: (q) => sql`select id from ${q('t')}`, options: ['security_invoker=true'] })] });
    },
    shows: (s) => s.views.find((v) => v.name === 'v')?.options.join(','),
  },
  'begin-atomic': {
    model: () =>
      defineModel({ tables: [], functions: [pgFunction('f', { returns: 'int', language: 'sql', body: { atomic: sql`BEGIN ATOMIC SELECT 1; END` } })] }),
    shows: (s) => s.routines.find((r) => r.name === 'f')?.definition,
  },
};

function record(entry: { feature: string; major: number; outcome: 'supported' | 'refused' }): void {
  const file = process.env.RETORT_VERSIONS_RESULTS;
  if (file) fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

describe('version features: built where the major has them, refused by name where not (integration)', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  let major: number;

  before(async () => {
    database = await createTestDatabase('vfeat');
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
    major = Math.floor((await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(db)).rows[0]!.v / 10000);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('has a check for every feature of the list', () => {
    expect(Object.keys(USES).sort()).to.deep.equal(VERSION_FEATURES.map((f) => f.id).sort());
  });

  for (const feature of VERSION_FEATURES) {
    it(`${feature.name} (PostgreSQL ${feature.since}+)`, async () => {
      const use = USES[feature.id]!;
      const schema = randomSchemaName('vf');
      await sql`create schema ${sql.id(schema)}`.execute(db);
      if (major >= feature.since) {
        await createAll(use.model(), { db, schema });
        const shown = use.shows(await readSnapshot(db, schema));
        expect(shown, `${feature.name} read back`).to.be.a('string');
        expect(feature.uses(shown!) || shown!.split(',').some(feature.uses), `${feature.name} in ${shown}`).to.equal(true);
        record({ feature: feature.id, major, outcome: 'supported' });
      } else {
        const error = await createAll(use.model(), { db, schema }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.have.property('code', 'VERSION_FEATURE');
        expect(error).to.have.property('exitCode', 2);
        expect((error as Error).message).to.contain(`${feature.name} needs PostgreSQL ${feature.since}; the database runs ${major}`);
        const left = await readSnapshot(db, schema);
        expect([...left.tables, ...left.views, ...left.routines], 'nothing built').to.deep.equal([]);
        record({ feature: feature.id, major, outcome: 'refused' });
      }
    });
  }
});

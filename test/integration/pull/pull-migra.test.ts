/**
 * `pull` on every `b.sql` of the migra corpus, schema by schema: the pulled model, built into an
 * empty schema of another database, gives the same snapshot and `pg_dump --schema-only`. The
 * other database holds the case's other schemas (a model may refer to them) but not the pulled
 * one, so the model's own extensions are created afresh; the schema keeps its name there, so
 * the dumps compare line for line.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../../support/database';
import { ensureRole, execSql, userSchemas } from '../diff/schema-harness';
import { pullRoundTrip } from './pull-harness';

const corpus = path.join(__dirname, '..', 'diff', 'fixtures', 'migra');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('pull: every migra b.sql, schema by schema, builds back the same schema (integration)', () => {
  before(async () => {
    await ensureRole(await testServerUrl(), 'schemainspect_test_role');
  });

  for (const name of cases) {
    it(name, async () => {
      const b = readFileSync(path.join(corpus, name, 'b.sql'), 'utf8');
      const from = await createTestDatabase('pull_a');
      let to: TestDatabase | undefined;
      try {
        await execSql(from.url, b);
        for (const schema of await userSchemas(from.url)) {
          to = await createTestDatabase('pull_b');
          await execSql(to.url, b);
          await execSql(to.url, `drop schema "${schema}" cascade`);
          // the same name, in another database: the dumps compare as they are
          const result = await pullRoundTrip({ from: { url: from.url, schema }, to: { url: to.url, schema }, what: `${name}, schema ${schema}` });
          rmSync(result.dir, { recursive: true, force: true });
          await to.drop();
          to = undefined;
        }
      } finally {
        await to?.drop();
        await from.drop();
      }
    });
  }
});

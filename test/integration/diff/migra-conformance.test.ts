/**
 * The 26 schema-diff cases of migra (fixtures/migra, public domain), checked by behaviour:
 * load a.sql into A and b.sql into B, diff every schema A -> B, apply the SQL to A; then
 * nothing may be left to diff and `pg_dump --schema-only` of A and B must show the same
 * objects. Cases with additions.sql run a second round on a.sql + additions.sql, as
 * migra's own test does. Each round also applies the reversed operations (the downgrade)
 * and checks that A is back to where it started.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { reverseOperations } from '../../../src/operations/reverse-operation';
import { renderSql } from '../../../src/render/render-sql';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { diffDatabases, dumpDifference, ensureRole, execSql, normalizedDump, userSchemas, type SchemaDiff } from './schema-harness';

const corpus = path.join(__dirname, 'fixtures', 'migra');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function read(name: string, file: string): string {
  const p = path.join(corpus, name, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** Applies per-schema diffs to a database, creating and dropping whole schemas as needed. */
async function apply(url: string, diffs: readonly SchemaDiff[], keep: readonly string[], order: 'forward' | 'reverse'): Promise<void> {
  const present = await userSchemas(url);
  for (const d of diffs) if (!present.includes(d.schema)) await execSql(url, `create schema "${d.schema}"`);
  const list = order === 'forward' ? diffs : [...diffs].reverse();
  for (const d of list) {
    try {
      await execSql(url, d.sql);
    } catch (error) {
      throw new Error(`applying the diff of schema "${d.schema}" failed: ${(error as Error).message}\n${d.sql}`, { cause: error });
    }
  }
  // RESTRICT: a schema that should be gone must already be empty
  for (const d of diffs) if (!keep.includes(d.schema)) await execSql(url, `drop schema "${d.schema}"`);
}

async function expectSame(fromUrl: string, toUrl: string, what: string): Promise<void> {
  const schemas = [...new Set([...(await userSchemas(fromUrl)), ...(await userSchemas(toUrl))])].sort();
  const again = await diffDatabases(fromUrl, toUrl, schemas);
  for (const d of again) expect(d.sql, `${what}: schema "${d.schema}" still differs`).to.equal('');
  const [a, b] = await Promise.all([normalizedDump(fromUrl), normalizedDump(toUrl)]);
  expect(dumpDifference(a, b), `${what}: pg_dump differs`).to.equal('');
}

async function round(name: string, files: readonly string[], target: TestDatabase): Promise<void> {
  const a = await createTestDatabase('mig_a');
  const original = await createTestDatabase('mig_o');
  try {
    for (const f of files) {
      await execSql(a.url, read(name, f));
      await execSql(original.url, read(name, f));
    }
    const fromSchemas = await userSchemas(a.url);
    const toSchemas = await userSchemas(target.url);
    const schemas = [...new Set([...fromSchemas, ...toSchemas])].sort();
    const forward = await diffDatabases(a.url, target.url, schemas);
    await apply(a.url, forward, toSchemas, 'forward');
    await expectSame(a.url, target.url, `${name} (${files.join(' + ')}) after upgrade`);

    const backward = forward.map((d) => ({ ...d, sql: renderSql(reverseOperations(d.operations), { schema: d.schema }) }));
    await apply(a.url, backward, fromSchemas, 'reverse');
    await expectSame(a.url, original.url, `${name} (${files.join(' + ')}) after downgrade`);
  } finally {
    await a.drop();
    await original.drop();
  }
}

describe('migra conformance (diff A -> B, apply, compare)', function () {
  const passed: string[] = [];
  const failed: string[] = [];

  before(async function () {
    const probe = await createTestDatabase('mig_probe');
    try {
      await ensureRole(probe.url, 'schemainspect_test_role');
    } finally {
      await probe.drop();
    }
  });

  after(function () {
    console.log(`      migra conformance: ${passed.length}/${cases.length} cases pass${failed.length ? ` (failing: ${failed.join(', ')})` : ''}`);
  });

  it('has the 26 cases', function () {
    expect(cases).to.have.length(26);
  });

  for (const name of cases) {
    it(name, async function () {
      const target = await createTestDatabase('mig_b');
      try {
        await execSql(target.url, read(name, 'b.sql'));
        await round(name, ['a.sql'], target);
        if (read(name, 'additions.sql').trim() !== '') await round(name, ['a.sql', 'additions.sql'], target);
        passed.push(name);
      } catch (error) {
        failed.push(name);
        throw error;
      } finally {
        await target.drop();
      }
    });
  }
});

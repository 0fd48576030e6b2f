/**
 * The guarantee of `pull`, checked end to end: read a schema's snapshot, write its model source,
 * load that file as a model (through alembic.ini's `model =`, as `migrate setup` does), build it
 * into an empty schema of another database, read that back: same snapshot, same normalised
 * `pg_dump --schema-only`.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import * as ts from 'typescript';
import { readSnapshot } from '../../../src/catalog/read-snapshot';
import { loadModel } from '../../../src/loader/load-model';
import { loadConfig } from '../../../src/config/load';
import { diffSnapshots } from '../../../src/diff/diff-snapshots';
import { createAll } from '../../../src/model';
import { PACKAGE_NAME } from '../../../src/package-info';
import { renderModelSource } from '../../../src/pull/render-model-source';
import { renderSql } from '../../../src/render/render-sql';
import type { Snapshot } from '../../../src/schema/snapshot';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const SRC = path.resolve(__dirname, '../../../src');

const run = promisify(execFile);

/**
 * `pg_dump --schema-only` of one schema, its lines without comments and without the schema's own
 * statements (its owner, comment and grants are not what a model describes), the schema's name
 * as an identifier or a literal written `<schema>`.
 */
export async function schemaDump(url: string, schema: string): Promise<string[]> {
  const { stdout } = await run('pg_dump', ['--schema-only', '--quote-all-identifiers', `--schema="${schema}"`, url], { maxBuffer: 64 * 1024 * 1024 });
  const id = `"${schema.replace(/"/g, '""')}"`;
  const literal = `'${schema.replace(/'/g, "''")}'`;
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('--') && !/^\\(un)?restrict /.test(l) && !l.includes(` SCHEMA ${id}`))
    .map((l) => l.split(id).join('"<schema>"').split(literal).join("'<schema>'"));
}

/** A Kysely on one connection of `url`. */
export function connect(url: string): Kysely<any> {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
}

/** A folder with the pulled model, an alembic.ini naming it, and the package resolving to this checkout's src/. */
export function writeProject(source: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'retort-pull-'));
  writeFileSync(path.join(dir, 'model.ts'), source);
  writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = revisions\nmodel = model.ts\n');
  mkdirSync(path.join(dir, 'node_modules', PACKAGE_NAME), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'index.js'), `module.exports = require(${JSON.stringify(path.join(SRC, 'index.ts'))});\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** TypeScript's diagnostics for the pulled model, the package resolved to src/. */
export function typeErrors(dir: string): string[] {
  const file = path.join(dir, 'model.ts');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.resolve(SRC, '../node_modules/@types')],
    paths: { [PACKAGE_NAME]: [path.join(SRC, 'index.ts')] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

export interface PullRoundTrip {
  readonly source: string;
  readonly original: Snapshot;
  readonly rebuilt: Snapshot;
  readonly dir: string;
}

/**
 * Pulls `from.schema`, builds the model into the empty `to.schema`, and asserts the guarantee.
 * The caller removes `dir` (kept for a type check).
 */
export async function pullRoundTrip(options: {
  readonly from: { readonly url: string; readonly schema: string };
  readonly to: { readonly url: string; readonly schema: string };
  readonly suRole?: string;
  readonly what: string;
}): Promise<PullRoundTrip> {
  const source = connect(options.from.url);
  const target = connect(options.to.url);
  try {
    const original = await readSnapshot(source, options.from.schema);
    const text = renderModelSource(original, options.suRole ? { suRole: options.suRole } : {});
    expect(text, `${options.what}: the model has no sentinel left`).not.to.include('\u0000');
    if (options.from.schema.length >= 4) {
      const name = options.from.schema.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(text, `${options.what}: the model names no schema`).not.to.match(new RegExp(`("${name}"|\\b${name})\\.|'${name}'`));
    }
    expect(renderModelSource(original, options.suRole ? { suRole: options.suRole } : {}), `${options.what}: pulling twice`).to.equal(text);
    const project = writeProject(text);
    const { model } = await loadModel(loadConfig({ path: path.join(project.dir, 'alembic.ini'), cwd: project.dir }));
    await createAll(model, { db: target, schema: options.to.schema, createSchema: true, ...(options.suRole ? { suRole: options.suRole } : {}) });
    const rebuilt = await readSnapshot(target, options.to.schema);
    const difference = renderSql(diffSnapshots(original, rebuilt), { schema: options.to.schema, header: false });
    expect(difference, `${options.what}: what building the pulled model changed`).to.equal('');
    expect(rebuilt, `${options.what}: snapshot of the rebuilt schema`).to.deep.equal(original);
    const [a, b] = await Promise.all([schemaDump(options.from.url, options.from.schema), schemaDump(options.to.url, options.to.schema)]);
    expect(b, `${options.what}: pg_dump --schema-only`).to.deep.equal(a);
    expect(renderModelSource(rebuilt, options.suRole ? { suRole: options.suRole } : {}), `${options.what}: pulling the rebuilt schema`).to.equal(text);
    return { source: text, original, rebuilt, dir: project.dir };
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

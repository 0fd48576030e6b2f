/**
 * Runs the built CLI (`bin/migrate.js`, compiled by `npm test`'s build step) as a child process,
 * the way a user does, and builds throwaway projects (alembic.ini + revisions/) for it.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'migrate.js');
/** The reference schema's model, for projects that build or compare with it (`[alembic] model`). */
export const CRMP_MODEL = path.join(ROOT, 'src', 'crmp', 'index.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for child processes: no ambient database or schema settings leak in. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'SCHEMA_NAME', 'SU_ROLE_NAME', 'PGPASSWORD', 'NO_COLOR', 'FORCE_COLOR']) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd, env: childEnv(options.env ?? {}), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function runCliSync(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, env: childEnv(options.env ?? {}), encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export interface RevisionSpec {
  readonly id: string;
  readonly down?: string | readonly string[] | null;
  readonly message?: string;
  /** Body of `upgrade(ctx)` (TypeScript). */
  readonly up?: string;
  readonly downBody?: string;
  readonly extra?: string;
}

/** Source of a revision module for tests. */
export function revisionSource(r: RevisionSpec): string {
  const down = r.down === undefined || r.down === null ? 'null' : JSON.stringify(r.down);
  return [
    `import type { MigrationContext } from '${path.join(ROOT, 'src', 'runtime', 'context').replace(/\\/g, '/')}';`,
    `export const revision = '${r.id}';`,
    `export const downRevision = ${down};`,
    `export const message = ${JSON.stringify(r.message ?? `revision ${r.id}`)};`,
    r.extra ?? '',
    `export async function upgrade(ctx: MigrationContext) {`,
    r.up ?? '',
    `}`,
    `export async function downgrade(ctx: MigrationContext) {`,
    r.downBody ?? '',
    `}`,
    '',
  ].join('\n');
}

/** A table-creating revision: `create table <name>` up, `drop table <name>` down. */
export function tableRevision(id: string, down: string | null, table: string, extra: Partial<RevisionSpec> = {}): RevisionSpec {
  return {
    id,
    down,
    message: `create ${table}`,
    up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('${table}').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute();`,
    downBody: `  await ctx.db.schema.withSchema(ctx.schema).dropTable('${table}').execute();`,
    ...extra,
  };
}

export interface TestProject {
  readonly dir: string;
  write(r: RevisionSpec, fileName?: string): string;
  remove(): void;
}

/** A temporary folder with alembic.ini (the given labels) and revisions/. */
export function createProject(
  options: { labels?: Record<string, string>; alembic?: Record<string, string>; revisions?: readonly RevisionSpec[] } = {},
): TestProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-proj-'));
  // The projects the tests build are CRMP-like: they name their schema, as PyCDS's alembic.ini
  // does (the tool's own default is public). A test may override it or any other key.
  const alembic = { script_location: 'revisions', schema_name: 'crmp', ...(options.alembic ?? {}) };
  const lines = ['[alembic]'];
  for (const [k, v] of Object.entries(alembic)) lines.push(`${k} = ${v}`);
  for (const [label, url] of Object.entries(options.labels ?? {})) lines.push('', `[${label}]`, `sqlalchemy.url = ${url}`);
  fs.writeFileSync(path.join(dir, 'alembic.ini'), lines.join('\n') + '\n');
  fs.mkdirSync(path.join(dir, 'revisions'));
  const project: TestProject = {
    dir,
    write(r, fileName) {
      const file = path.join(dir, 'revisions', fileName ?? `${r.id}_${(r.message ?? 'rev').replace(/\W+/g, '_').slice(0, 30)}.ts`);
      fs.writeFileSync(file, revisionSource(r));
      return file;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const r of options.revisions ?? []) project.write(r);
  return project;
}

/** `pg_dump --schema-only` of a database, without comments, SET lines and blank lines: a catalog fingerprint. */
export function dumpSchema(url: string, options: { schema?: string; excludeTables?: readonly string[] } = {}): string {
  const args = ['--schema-only', '--no-owner', '--no-privileges', url];
  if (options.schema) args.push(`--schema=${options.schema}`);
  for (const t of options.excludeTables ?? []) args.push(`--exclude-table=${t}`);
  const r = spawnSync('pg_dump', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(
      (l) =>
        l.trim() !== '' &&
        !l.startsWith('--') &&
        !l.startsWith('SET ') &&
        !l.startsWith('SELECT pg_catalog.set_config') &&
        !l.startsWith('\\restrict') &&
        !l.startsWith('\\unrestrict'),
    )
    .join('\n');
}

/** A full dump including data, to prove a failed command changed nothing. */
export function dumpAll(url: string): string {
  const r = spawnSync('pg_dump', ['--no-owner', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('--') && !l.startsWith('\\restrict') && !l.startsWith('\\unrestrict'))
    .join('\n');
}

export function psql(url: string, args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args], { encoding: 'utf8', input });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { IDENTIFIER } from '../config/config';
import { normalizeUrl } from '../config/dsn';
import { ConfigError, ScriptError } from '../errors';

export interface InitOptions {
  /** The project folder (created if missing). */
  readonly dir: string;
  /** Default schema of the project (`schema_name`); default `public`. May be `${VAR:-default}`. */
  readonly schema?: string | undefined;
  /** Role for privileged steps (`su_role_name`); none by default. May be `${VAR:-default}`. */
  readonly suRole?: string | undefined;
  /** URL of the `[dev]` label; its password, if any, is replaced by `${PGPASSWORD}`. */
  readonly url?: string | undefined;
  /** Where the package is imported from in the model stub. */
  readonly packageName: string;
}

export interface InitResult {
  readonly dir: string;
  /** Files and folders written, relative to `dir`. */
  readonly created: readonly string[];
  /** Files that existed and were kept (or, for .gitignore, extended). */
  readonly kept: readonly string[];
}

/**
 * `init`: scaffolds a project with nothing of anyone else's application in it: alembic.ini
 * (the schema and role given, else `public` and none), `revisions/`, a model stub that
 * `check` and `revision --autogenerate` compare with, a `.gitignore` for the local database and
 * backups, and a tsconfig.json for editors when the folder has none. Refuses to overwrite an
 * alembic.ini or a non-empty revisions folder.
 *
 * @example
 * ```ts
 * initProject({ dir: '/srv/app', schema: '${PYCDS_SCHEMA_NAME:-crmp}', suRole: 'pcicdba', packageName: 'retort-migrate' })
 * // { created: ['alembic.ini', 'revisions/', 'model/index.ts', '.gitignore', 'tsconfig.json'], kept: [] }
 * ```
 */
export function initProject(options: InitOptions): InitResult {
  const dir = path.resolve(options.dir);
  const ini = path.join(dir, 'alembic.ini');
  const revisions = path.join(dir, 'revisions');
  if (fs.existsSync(ini)) throw new ConfigError('ALREADY_INITIALISED', `${ini} already exists. Edit it, or run "migrate init" in another folder.`);
  if (fs.existsSync(revisions) && fs.readdirSync(revisions).length > 0) {
    throw new ConfigError('ALREADY_INITIALISED', `${revisions} is not empty. Run "migrate init" in another folder.`);
  }
  const schema = checkName(options.schema ?? 'public', '--schema');
  const suRole = options.suRole === undefined ? undefined : checkName(options.suRole, '--su-role');
  const devUrl =
    options.url === undefined ? `postgresql://\${PGUSER:-postgres}@\${PGHOST:-localhost}:\${PGPORT:-5432}/${databaseName(dir)}` : withoutPassword(options.url);

  const created: string[] = [];
  const kept: string[] = [];
  const write = (relative: string, text: string) => {
    const file = path.join(dir, relative);
    if (fs.existsSync(file)) {
      kept.push(relative);
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' });
    created.push(relative);
  };
  try {
    fs.mkdirSync(revisions, { recursive: true });
    write('alembic.ini', iniText({ schema, suRole, devUrl }));
    created.push('revisions/');
    write('model/index.ts', modelStub(options.packageName));
    extendGitignore(path.join(dir, '.gitignore'), created, kept);
    write('tsconfig.json', TSCONFIG);
  } catch (cause) {
    throw new ScriptError('WRITE_FAILED', `Cannot write the project into ${dir}: ${(cause as Error).message}.`, { cause });
  }
  return { dir, created, kept };
}

/** A plain identifier, or a `${VAR}` / `${VAR:-default}` reference whose default is one. */
function checkName(value: string, option: string): string {
  const variable = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-([^}]*))?\}$/.exec(value);
  const plain = variable ? (variable[1] ?? 'x') : value;
  if (!IDENTIFIER.test(plain)) {
    throw new ConfigError(
      'BAD_INIT_ARGS',
      `${option} ${JSON.stringify(value)} is not a valid identifier (letters, digits, _ and $) or a \${VAR:-default} reference. Choose another name.`,
    );
  }
  return value;
}

function databaseName(dir: string): string {
  const base =
    path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'app';
  return `${/^[a-z_]/.test(base) ? base : `db_${base}`}_dev`;
}

/** The URL with any password replaced by `${PGPASSWORD}`: passwords never go into the file. */
function withoutPassword(raw: string): string {
  const url = normalizeUrl(raw, '--url');
  if (url.startsWith('embedded:')) return url;
  const u = new URL(url);
  const had = u.password !== '' || u.searchParams.has('password');
  u.password = '';
  u.searchParams.delete('password');
  const text = u.toString();
  return had ? text.replace(/^postgresql:\/\/([^@/]*)@/, 'postgresql://$1:${PGPASSWORD}@') : text;
}

function iniText(o: { schema: string; suRole: string | undefined; devUrl: string }): string {
  return `# Retort configuration, in Alembic's alembic.ini layout.
# Every value may use \${VAR} and \${VAR:-default}.
[alembic]
# Folder holding the revision modules.
script_location = revisions
# Version table, created in the target schema (Alembic's layout).
version_table = alembic_version
# Schema when neither SCHEMA_NAME nor -x schema= is given.
schema_name = ${o.schema}
# Role for privileged steps (ctx.asSuperuser); SU_ROLE_NAME or -x su_role= override it.
${o.suRole === undefined ? '# su_role_name = dba' : `su_role_name = ${o.suRole}`}
# The model that check, setup and revision --autogenerate compare with.
model = model/index.ts
# Where check, pull and revision --autogenerate build and compare (never the target database).
# Default: a private embedded PostgreSQL. A server of your own:
# dev_url = postgresql://\${PGUSER:-postgres}@localhost:5432/retort_dev

# One section per database; pick it with -x db=<label>.
# Passwords: \${PGPASSWORD}, or ~/.pgpass; never write them here.
[local]
sqlalchemy.url = embedded:./.retort/local

[dev]
sqlalchemy.url = ${o.devUrl}
`;
}

function modelStub(packageName: string): string {
  return `// The schema as it should be. \`migrate check\` compares a database with it, and
// \`migrate revision --autogenerate\` writes the revision that gets a database there.
// To start from a database that is already online: migrate -x db=<label> pull -o model/index.ts
import { defineModel } from '${packageName}';

// import { integer, serial, table, text } from '${packageName}';
// const station = table('station', {
//   station_id: serial().primaryKey(),
//   name: text().notNull(),
//   network_id: integer().references('network', 'network_id'),
// });

export const model = defineModel({ tables: [] });
`;
}

const IGNORED = ['.retort/', 'backups/'];

function extendGitignore(file: string, created: string[], kept: string[]): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const lines = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORED.filter((l) => !lines.has(l) && !lines.has(l.replace(/\/$/, '')));
  if (current === undefined) {
    fs.writeFileSync(file, `# Retort: the local database (embedded:./.retort/local) and backups\n${IGNORED.join('\n')}\n`);
    created.push('.gitignore');
  } else if (missing.length > 0) {
    fs.writeFileSync(file, `${current}${current.endsWith('\n') || current === '' ? '' : '\n'}# Retort\n${missing.join('\n')}\n`);
    kept.push('.gitignore');
  } else {
    kept.push('.gitignore');
  }
}

// nodenext: kysely 0.29 is ES modules only, which TypeScript (5.8+) lets CommonJS files import under
// nodenext, as Node does from 20.19; node16 would reject every kysely import of a CommonJS app.
const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "esModuleInterop": true
  },
  "include": ["revisions/**/*.ts", "model/**/*.ts"]
}
`;

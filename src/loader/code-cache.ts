import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Loads a CommonJS file through V8's code cache, so later processes skip parsing and compiling it.
 *
 * Node 20 has no built-in compile cache for CommonJS, and the files this is used for are large
 * single bundles (the CLI, about 1.3 MB; the app's kysely, see preload-package.ts; a project's
 * compiled revisions), where compiling costs more than running. V8 compiles functions lazily, on first call, and its cache holds what was
 * compiled when the cache was written; so the cache is written at process exit and records the
 * uses it has seen (`use('upgrade')`, `use('down')`): a process that used the file in a way the
 * cache does not cover writes a new one covering both. A cache from another V8 version or with
 * other flags is rejected by V8 and rewritten. A folder that cannot be written only costs the
 * cache's benefit.
 *
 * Each file has one cache in `cacheDir`, named after the file and its absolute path (so several
 * installs can share a per-user folder), starting with a line that says which build of the file
 * it was made from and which uses it covers; caches of files that no longer exist are removed
 * when a cache is written.
 *
 * The file must not use dynamic `import()`: a vm script has no module loader for it (Node 20's
 * `USE_MAIN_CONTEXT_DEFAULT_LOADER` is experimental and is lost when the code comes from the
 * cache). The CLI bundle is built without it; revisions that use it are loaded with `require`.
 */
export interface CachedModule {
  readonly exports: unknown;
  /** V8 took the compiled code from a cache file (false: compiled here; a cache is written at exit). */
  readonly fromCache: boolean;
  /** Records a use of the file, so the cache written at exit covers it. */
  use(tag: string): void;
}

/** The first line of a cache file: what it was made from, and what it covers. */
interface CacheHeader {
  readonly file: string;
  readonly build: string;
  readonly tags: readonly string[];
}

const TAG = /^[a-z][a-z0-9-]{0,30}$/;
const SUFFIX = '.cache';

/**
 * @example
 * ```ts
 * const cli = requireWithCodeCache('/app/node_modules/retort-migrate/dist/cli.bundle.js', path.join(userCacheDir(), 'code'));
 * cli.use('upgrade'); // the cache written at exit covers what upgrade compiled
 * ```
 */
export function requireWithCodeCache(file: string, cacheDir: string): CachedModule {
  const build = buildOf(file);
  const found = readCache(file, build, cacheDir);
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(found ? { cachedData: found.data } : {}),
  });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: typeof module, f: string, d: string) => void;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));

  const accepted = found !== undefined && !script.cachedDataRejected;
  const covered = new Set(accepted ? found.tags : []);
  const used = new Set<string>();
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    process.once('exit', () => {
      const tags = [...new Set([...covered, ...used])].sort();
      writeCache(cacheDir, { file: path.resolve(file), build, tags }, script);
    });
  };
  if (!accepted) schedule();
  return {
    exports: module.exports,
    fromCache: accepted,
    use(tag: string) {
      if (!TAG.test(tag) || covered.has(tag) || used.has(tag)) return;
      used.add(tag);
      schedule();
    },
  };
}

/** The cache of `file` in `cacheDir`, when there is one made from this build of it. */
export function readCodeCache(file: string, cacheDir: string): { tags: readonly string[]; data: Buffer } | undefined {
  return readCache(file, buildOf(file), cacheDir);
}

function readCache(file: string, build: string, cacheDir: string): { tags: readonly string[]; data: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(cacheDir, cacheName(file)));
  } catch {
    return undefined;
  }
  const header = headerOf(bytes);
  if (!header || header.file !== path.resolve(file) || header.build !== build) return undefined;
  return { tags: header.tags, data: bytes.subarray(bytes.indexOf(0x0a) + 1) };
}

/** `cli.bundle.js.1a2b3c4d5e6f.cache`: the file's name, and a digest of its absolute path. */
function cacheName(file: string): string {
  return `${path.basename(file)}.${createHash('sha1').update(path.resolve(file)).digest('hex').slice(0, 12)}${SUFFIX}`;
}

/**
 * Which build of the file: V8 checks a cache against the source's length only, so a rebuilt file
 * of the same length would run its old code. Its size and modification time tell builds apart.
 */
function buildOf(file: string): string {
  const stat = fs.statSync(file);
  return `${process.versions.v8}:${stat.size}:${Math.round(stat.mtimeMs)}`;
}

function headerOf(bytes: Buffer): CacheHeader | undefined {
  const end = bytes.indexOf(0x0a);
  if (end < 0 || end > 4096) return undefined;
  try {
    const h = JSON.parse(bytes.subarray(0, end).toString('utf8')) as CacheHeader;
    return typeof h.file === 'string' && typeof h.build === 'string' && Array.isArray(h.tags) ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache through a temporary file, then removes the caches of files that are gone. */
function writeCache(dir: string, header: CacheHeader, script: vm.Script): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const name = cacheName(header.file);
    const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), script.createCachedData()]));
    fs.renameSync(tmp, path.join(dir, name));
    for (const other of fs.readdirSync(dir)) {
      if (other !== name && other.endsWith(SUFFIX) && !fileExists(cachedFileOf(path.join(dir, other)))) fs.rmSync(path.join(dir, other), { force: true });
    }
  } catch {
    // A read-only location: run without a cache.
  }
}

/** The file a cache was made from, read from its first line ('' when unreadable). */
function cachedFileOf(cache: string): string {
  const head = Buffer.alloc(4096);
  let fd: number | undefined;
  try {
    fd = fs.openSync(cache, 'r');
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return headerOf(head.subarray(0, n))?.file ?? '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function fileExists(file: string): boolean {
  return file !== '' && fs.existsSync(file);
}

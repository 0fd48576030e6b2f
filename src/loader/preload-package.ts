import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { requireWithCodeCache, type CachedModule } from './code-cache';

/** What a cached bundle was made from: every input file with its size and modification time. */
interface Manifest {
  readonly format: number;
  readonly entry: string;
  readonly version: string;
  readonly inputs: ReadonlyArray<readonly [file: string, size: number, mtimeMs: number]>;
}

const FORMAT = 1;

/** A package registered by {@link preloadPackage}. */
export interface PreloadedPackage {
  /** Records a use, so the code cache written at exit covers it (when the package was loaded). */
  use(tag: string): void;
}

/**
 * Makes an installed package load, when first required, from one cached file, registered as that
 * package's module: every `require(name)` in the process that resolves to the same install (the
 * CLI's, a model's, the revisions') gets this one module.
 *
 * The CLI runs on the app's own kysely (a peer dependency). Loaded the usual way that is about
 * 280 files, some 75 ms of every command that connects; bundled once into the cache folder
 * (esbuild, on the first run with that install) and read through the V8 code cache, a few
 * milliseconds. The bundle is rebuilt when any file it was made from changes (a new version, a
 * patched file). Nothing happens until the package is first required (`--help` never pays), and
 * anything that goes wrong then (no esbuild, a folder that cannot be written, a package esbuild
 * cannot bundle) loads the package the usual way.
 *
 * @example
 * ```ts
 * preloadPackage('kysely', { from: '/app/node_modules/retort-migrate/dist', cacheDir: '/home/me/.cache/retort/code' });
 * require('kysely') // bundled and cached on the first run; from the cache on the next
 * ```
 * @returns undefined when the package is not installed (or already loaded).
 */
export function preloadPackage(name: string, options: { from: string; cacheDir: string }): PreloadedPackage | undefined {
  let entry: string;
  try {
    entry = createRequire(path.join(options.from, 'noop.js')).resolve(name);
  } catch {
    return undefined;
  }
  if (require.cache[entry]) return undefined;
  let loaded: CachedModule | undefined;
  const pending = new Set<string>();
  let exports: unknown;
  let done = false;
  const load = (): unknown => {
    if (done) return exports;
    done = true;
    try {
      loaded = loadBundled(name, entry, options.cacheDir);
      for (const tag of pending) loaded.use(tag);
      exports = loaded.exports;
    } catch {
      delete require.cache[entry];
      exports = require(entry);
    }
    return exports;
  };
  const ModuleClass = Module as unknown as { new (id: string): NodeJS.Module; _nodeModulePaths(dir: string): string[] };
  const module = new ModuleClass(entry);
  module.filename = entry;
  module.paths = ModuleClass._nodeModulePaths(path.dirname(entry));
  module.loaded = true;
  // Node hands out a cached module's exports: reading them is the first require.
  Object.defineProperty(module, 'exports', { get: load, set: (v: unknown) => void (exports = v), configurable: true, enumerable: true });
  require.cache[entry] = module;
  return {
    use(tag: string) {
      if (loaded) loaded.use(tag);
      else pending.add(tag);
    },
  };
}

function loadBundled(name: string, entry: string, cacheDir: string): CachedModule {
  const root = packageRoot(entry, name);
  if (!root) throw new Error(`no package.json of ${name} above ${entry}`);
  const version = String((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version);
  const id = createHash('sha1').update(entry).digest('hex').slice(0, 12);
  const prefix = `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-`;
  const base = `${prefix}${version}-${id}`;
  const bundle = path.join(cacheDir, `${base}.js`);
  const manifestFile = path.join(cacheDir, `${base}.json`);
  if (!isCurrent(manifestFile, bundle, entry, version)) {
    build(entry, version, bundle, manifestFile);
    removeOtherBundles(cacheDir, prefix, base, id);
  }
  return requireWithCodeCache(bundle, cacheDir);
}

/**
 * Removes the bundles of this package made for this install at another version, or for installs
 * that are gone (a removed app): their code caches go when the next cache is written.
 */
function removeOtherBundles(cacheDir: string, prefix: string, base: string, id: string): void {
  for (const name of fs.readdirSync(cacheDir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.json') || name === `${base}.json`) continue;
    let entry: unknown;
    try {
      entry = (JSON.parse(fs.readFileSync(path.join(cacheDir, name), 'utf8')) as Partial<Manifest>).entry;
    } catch {
      continue;
    }
    if (name.endsWith(`-${id}.json`) || typeof entry !== 'string' || !fs.existsSync(entry)) {
      fs.rmSync(path.join(cacheDir, name), { force: true });
      fs.rmSync(path.join(cacheDir, `${name.slice(0, -'.json'.length)}.js`), { force: true });
    }
  }
}

/** The folder above `entry` whose package.json names the package. */
function packageRoot(entry: string, name: string): string | undefined {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === name) return dir;
    } catch {
      // no package.json here, or another package's inner one (kysely's dist/cjs/package.json)
    }
  }
  return undefined;
}

function isCurrent(manifestFile: string, bundle: string, entry: string, version: string): boolean {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    return false;
  }
  if (m.format !== FORMAT || m.entry !== entry || m.version !== version || !fs.existsSync(bundle)) return false;
  return m.inputs.every(([file, size, mtimeMs]) => {
    try {
      const st = fs.statSync(file);
      return st.size === size && Math.round(st.mtimeMs) === mtimeMs;
    } catch {
      return false;
    }
  });
}

function build(entry: string, version: string, bundle: string, manifestFile: string): void {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Its own dependencies, if any, stay requires of their own.
    packages: 'external',
  });
  const cwd = process.cwd();
  const inputs = Object.keys(out.metafile.inputs).map((input) => {
    const file = path.resolve(cwd, input);
    const st = fs.statSync(file);
    return [file, st.size, Math.round(st.mtimeMs)] as const;
  });
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  writeAtomic(bundle, out.outputFiles[0]!.contents);
  writeAtomic(manifestFile, JSON.stringify({ format: FORMAT, entry, version, inputs } satisfies Manifest));
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

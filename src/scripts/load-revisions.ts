import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScriptError } from '../errors';
import type { Direction, Revision } from '../graph/revision';
import { requireWithCodeCache, type CachedModule } from '../loader/code-cache';
import { compileModule, runFactory, type ModuleFactory } from '../loader/compile-module';
import type { RevisionModule } from '../revision-module';

/** A revision plus what the runtime needs to know before loading its code. */
export interface LoadedRevision extends Revision {
  /** Absolute path of the module. */
  readonly source: string;
  readonly transactional: boolean;
  /** The module calls `asSuperuser` (or says `requiresSuperuser = true`): preflight checks the role. */
  readonly needsSuperuser: boolean;
}

/** The revisions of a folder: metadata at once, code on demand. */
export interface RevisionSet {
  readonly dir: string;
  readonly revisions: readonly LoadedRevision[];
  /**
   * The module of revision `id` (its code is evaluated on first use). `use` says which of its
   * functions is about to run, so the code cache written at exit covers it.
   */
  module(id: string, use?: Direction): RevisionModule;
}

interface FileStat {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface Manifest {
  readonly format: number;
  readonly dir: string;
  readonly files: readonly FileStat[];
  readonly bundle: string;
  /** Some revision calls `import()`, which a vm script cannot run: the bundle is then loaded with `require`. */
  readonly dynamicImport: boolean;
  readonly revisions: ReadonlyArray<Omit<LoadedRevision, 'source'> & { file: string }>;
}

// 2: no inline source maps in the bundle (they sat mid-file, where nothing read them).
// 4: needsSuperuser read from the compiled code, so a comment that mentions asSuperuser does not count.
const FORMAT = 4;
const REVISION_FILE = /^[^._].*\.(ts|mts|cts|js|cjs)$/;

/** Lists the revision files of `dir` with their size and mtime (no contents read). */
export function listRevisionFiles(dir: string): FileStat[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (cause) {
    throw new ScriptError(
      'NO_SCRIPT_DIR',
      `Cannot read the revisions folder ${dir}: ${(cause as Error).message}. Check script_location in alembic.ini or run "migrate init".`,
      { cause },
    );
  }
  return names
    .filter((n) => REVISION_FILE.test(n) && !n.endsWith('.d.ts'))
    .sort()
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return { name, size: st.size, mtimeMs: st.mtimeMs };
    });
}

/**
 * Loads the revisions of `dir`. TypeScript is compiled once with esbuild into a single cached
 * bundle under `cacheDir`; later runs only `stat` the files and read a small manifest, so no
 * compiler is loaded at CLI start unless a file changed.
 */
export async function loadRevisions(options: { dir: string; cacheDir: string }): Promise<RevisionSet> {
  const dir = path.resolve(options.dir);
  const files = listRevisionFiles(dir);
  const cacheDir = path.join(options.cacheDir, createHash('sha1').update(dir).digest('hex').slice(0, 12));
  const manifestPath = path.join(cacheDir, 'manifest.json');
  const manifest = readManifest(manifestPath, dir, files);
  if (manifest) return toRevisionSet(dir, cacheDir, manifest);
  const built = await rebuild(dir, files, cacheDir, manifestPath);
  return toRevisionSet(dir, cacheDir, built.manifest, built.bundle);
}

function readManifest(manifestPath: string, dir: string, files: readonly FileStat[]): Manifest | undefined {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (m.format !== FORMAT || m.dir !== dir || m.files.length !== files.length) return undefined;
  for (let i = 0; i < files.length; i++) {
    const a = m.files[i]!;
    const b = files[i]!;
    if (a.name !== b.name || a.size !== b.size || a.mtimeMs !== b.mtimeMs) return undefined;
  }
  if (!fs.existsSync(path.join(path.dirname(manifestPath), m.bundle))) return undefined;
  return m;
}

function toRevisionSet(dir: string, cacheDir: string, manifest: Manifest, preloaded?: CachedModule): RevisionSet {
  const revisions = manifest.revisions.map((r) => {
    const { file, ...rest } = r;
    return { ...rest, source: path.join(dir, file) };
  });
  const byId = new Map(revisions.map((r) => [r.id, r]));
  let bundle = preloaded;
  // A module's top level runs once: its exports, or the error it threw, are kept.
  const modules = new Map<string, { mod: RevisionModule } | { error: unknown }>();
  return {
    dir,
    revisions,
    module(id: string, use?: Direction): RevisionModule {
      let entry = modules.get(id);
      if (!entry) {
        const rev = byId.get(id);
        if (!rev) throw new ScriptError('UNKNOWN_REVISION', `No revision ${id} in ${dir}.`);
        try {
          bundle ??= loadBundle(cacheDir, manifest.bundle, manifest.dynamicImport);
          entry = { mod: instantiate(factoriesOf(bundle), path.basename(rev.source), rev.source, cacheDir) };
        } catch (error) {
          entry = { error };
        }
        modules.set(id, entry);
      }
      if (use) bundle?.use(use);
      if ('error' in entry) throw entry.error;
      return entry.mod;
    },
  };
}

/** The compiled bundle, through V8's code cache (kept beside it): most of its cost is compiling. */
function loadBundle(cacheDir: string, bundle: string, dynamicImport: boolean): CachedModule {
  if (dynamicImport) return { exports: require(path.join(cacheDir, bundle)) as unknown, fromCache: false, use() {} };
  return requireWithCodeCache(path.join(cacheDir, bundle), path.join(cacheDir, 'v8'));
}

function factoriesOf(bundle: CachedModule): Record<string, ModuleFactory> {
  return (bundle.exports as { factories: Record<string, ModuleFactory> }).factories;
}

function instantiate(factories: Record<string, ModuleFactory>, name: string, file: string, cacheDir: string): RevisionModule {
  const factory = factories[name];
  if (!factory) throw new ScriptError('STALE_CACHE', `${file} is missing from the compiled revision cache. Delete ${cacheDir} and run again.`);
  return revisionModuleOf(runFactory('revision', file, factory));
}

/** A revision's exports: its named exports, or a default-exported object holding them. */
export function revisionModuleOf(exports: Record<string, unknown>): RevisionModule {
  const inner = exports.default;
  return (exports.revision === undefined && typeof inner === 'object' && inner !== null ? inner : exports) as RevisionModule;
}

async function rebuild(dir: string, files: readonly FileStat[], cacheDir: string, manifestPath: string): Promise<{ manifest: Manifest; bundle: CachedModule }> {
  const objDir = path.join(cacheDir, 'files');
  fs.mkdirSync(objDir, { recursive: true });
  const compiled = await compileAll(dir, files, objDir);
  const { shared, bodies } = shareRuntimeHelpers(compiled.map((c) => c.code));
  const bundleText =
    shared +
    'exports.factories = {\n' +
    files.map((f, i) => `${JSON.stringify(f.name)}: function (exports, require, module, __filename, __dirname) {\n${bodies[i]!}\n},`).join('\n') +
    '\n};\n';
  const bundle = `bundle-${createHash('sha1').update(bundleText).digest('hex').slice(0, 16)}.js`;
  writeAtomic(path.join(cacheDir, bundle), bundleText);
  const dynamicImport = compiled.some((c) => /\bimport\s*\(/.test(c.source));
  const loaded = loadBundle(cacheDir, bundle, dynamicImport);
  const factories = factoriesOf(loaded);
  const revisions = files.map((f, i) => describe(dir, f.name, instantiate(factories, f.name, path.join(dir, f.name), cacheDir), compiled[i]!.code));
  const manifest: Manifest = { format: FORMAT, dir, files, bundle, dynamicImport, revisions };
  writeAtomic(manifestPath, JSON.stringify(manifest));
  removeStaleBundles(cacheDir, bundle);
  return { manifest, bundle: loaded };
}

/** The helpers esbuild writes at the top of each CommonJS output (its runtime, `var __name = ...`). */
const ESBUILD_HELPERS = new Set([
  '__create',
  '__defProp',
  '__getOwnPropDesc',
  '__getOwnPropNames',
  '__getProtoOf',
  '__hasOwnProp',
  '__name',
  '__require',
  '__esm',
  '__commonJS',
  '__export',
  '__copyProps',
  '__reExport',
  '__toESM',
  '__toCommonJS',
]);

/**
 * Moves esbuild's runtime helpers, which every compiled file declares again, to the top of the
 * bundle, once. 1000 revisions otherwise carry 1000 copies of the same seven functions, each
 * compiled, cached and run cold once; shared, they are about half the bundle's size and warm up.
 * A helper is shared only when its text is the same in every file that declares it; a file
 * whose preamble holds anything else keeps its own copy. esbuild names a file's own symbols
 * so they never clash with its helpers, so the shared ones mean the same in every factory.
 */
export function shareRuntimeHelpers(codes: readonly string[]): { shared: string; bodies: string[] } {
  const preambles = codes.map(splitPreamble);
  const texts = new Map<string, string | null>(); // null: two files disagree
  for (const p of preambles) {
    for (const [name, text] of p.helpers) texts.set(name, texts.has(name) && texts.get(name) !== text ? null : text);
  }
  const bodies = codes.map((code, i) => {
    const p = preambles[i]!;
    return p.helpers.every(([name]) => texts.get(name) !== null) ? p.rest : code;
  });
  const shared = [...texts]
    .filter(([, text]) => text !== null)
    .map(([, text]) => `${text!}\n`)
    .join('');
  return { shared, bodies };
}

/** The leading `var __helper = ...;` statements of esbuild output, and the code after them. */
function splitPreamble(code: string): { helpers: Array<[string, string]>; rest: string } {
  const lines = code.split('\n');
  const helpers: Array<[string, string]> = [];
  let i = 0;
  for (;;) {
    const name = /^var (__\w+) = /.exec(lines[i] ?? '')?.[1];
    if (!name || !ESBUILD_HELPERS.has(name)) break;
    let end = i; // a statement goes on over indented lines and its closing brackets
    while (end + 1 < lines.length && /^[\s})\]]/.test(lines[end + 1]!) && lines[end + 1]!.trim() !== '') end++;
    helpers.push([name, lines.slice(i, end + 1).join('\n')]);
    i = end + 1;
  }
  return { helpers, rest: lines.slice(i).join('\n') };
}

/** A process that read the previous manifest may still load its bundle: keep old ones this long. */
const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * Deletes earlier bundles of this folder once they are old enough that no running command can
 * still need them (each edit makes a new bundle: about 2 KB per revision). Their V8 code caches
 * (about 5 KB per revision) go when the next cache is written (see loader/code-cache.ts).
 */
function removeStaleBundles(cacheDir: string, current: string): void {
  const cutoff = Date.now() - STALE_AFTER_MS;
  const old = (file: string) => {
    try {
      return fs.statSync(file).mtimeMs < cutoff;
    } catch {
      return false;
    }
  };
  for (const name of safeReaddir(cacheDir)) {
    if (/^bundle-[0-9a-f]+\.js$/.test(name) && name !== current && old(path.join(cacheDir, name))) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Compiles each file (see loader/compile-module.ts), reusing per-file output keyed by name, size and mtime. */
async function compileAll(dir: string, files: readonly FileStat[], objDir: string): Promise<Array<{ code: string; source: string }>> {
  return Promise.all(
    files.map(async (f) => {
      const file = path.join(dir, f.name);
      const source = fs.readFileSync(file, 'utf8');
      const key = `${createHash('sha1').update(f.name).digest('hex').slice(0, 16)}-${f.size}-${Math.round(f.mtimeMs)}.v${FORMAT}.js`;
      const obj = path.join(objDir, key);
      try {
        return { code: fs.readFileSync(obj, 'utf8'), source };
      } catch {
        // not compiled yet
      }
      const { code } = await compileModule({ kind: 'revision', file, source });
      writeAtomic(obj, code);
      return { code, source };
    }),
  );
}

/** `code` is the compiled module: comments are gone, so one that mentions `asSuperuser` does not count. */
function describe(dir: string, name: string, mod: RevisionModule, code: string): Manifest['revisions'][number] {
  const file = path.join(dir, name);
  const bad = (what: string) => new ScriptError('BAD_REVISION', `${file}: ${what}. See the template written by "migrate revision".`);
  if (typeof mod.revision !== 'string' || !/^[A-Za-z0-9_]{1,32}$/.test(mod.revision)) {
    throw bad('export const revision must be a string of letters, digits or _ (at most 32, the width of version_num)');
  }
  const down = mod.downRevision;
  const downs = down === null || down === undefined ? [] : typeof down === 'string' ? [down] : down;
  if (!Array.isArray(downs) || downs.some((d) => typeof d !== 'string')) throw bad('export const downRevision must be a string, an array of strings, or null');
  if (typeof mod.upgrade !== 'function') throw bad('export function upgrade(ctx) is missing');
  if (typeof mod.downgrade !== 'function') throw bad('export function downgrade(ctx) is missing');
  const strings = (v: unknown, what: string): string[] => {
    if (v === undefined || v === null) return [];
    const arr = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(arr) || arr.some((x) => typeof x !== 'string')) throw bad(`${what} must be a string or an array of strings`);
    return arr as string[];
  };
  const flagged = (mod as { requiresSuperuser?: unknown }).requiresSuperuser;
  return {
    id: mod.revision,
    downRevisions: [...downs],
    message: typeof mod.message === 'string' ? mod.message : '',
    branchLabels: strings(mod.branchLabels, 'branchLabels'),
    dependsOn: strings(mod.dependsOn, 'dependsOn'),
    transactional: mod.transactional !== false,
    needsSuperuser: flagged === true || (flagged !== false && /\basSuperuser\b/.test(code)),
    file: name,
  };
}

/** Writes through a temporary file and a rename, so concurrent CLI runs never read half a file. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

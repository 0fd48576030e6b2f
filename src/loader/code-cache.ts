import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Loads a CommonJS file through V8's code cache, so later processes skip parsing and compiling it.
 *
 * Node 20 has no built-in compile cache for CommonJS, and both files this is used for are large
 * single bundles (the CLI, about 1.8 MB, and a project's compiled revisions), where compiling costs
 * more than running. V8 compiles functions lazily, on first call, and its cache holds what was
 * compiled when the cache was written; so the cache is written at process exit and is named by
 * the uses it has seen (`use('upgrade')`, `use('down')`): a process that used the file in a way
 * the cache does not cover writes a new one covering both. A cache from another V8 version or
 * with other flags is rejected by V8 and rewritten. Files that cannot be written (a read-only
 * install) only cost the cache's benefit.
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

const TAG = /^[a-z][a-z0-9-]{0,30}$/;

export function requireWithCodeCache(file: string, cacheDir: string): CachedModule {
  // V8 checks a cache against the source's length only, so a rebuilt file of the same length
  // would run its old code: the name carries the file's size and modification time.
  const stat = fs.statSync(file);
  const base = `${path.basename(file)}.`;
  const prefix = `${base}${process.versions.v8}.${stat.size}-${Math.round(stat.mtimeMs)}.`;
  const found = findCache(cacheDir, prefix);
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(found ? { cachedData: found.data } : {}),
  });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: typeof module, f: string, d: string) => void;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));

  const covered = new Set(found && !script.cachedDataRejected ? found.tags : []);
  const used = new Set<string>();
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    process.once('exit', () => {
      const tags = [...new Set([...covered, ...used])].sort();
      writeCache(cacheDir, `${prefix}${tags.join('+') || 'load'}.cache`, script, (name) => name.startsWith(base));
    });
  };
  if (!found || script.cachedDataRejected) schedule();
  return {
    exports: module.exports,
    fromCache: found !== undefined && !script.cachedDataRejected,
    use(tag: string) {
      if (!TAG.test(tag) || covered.has(tag) || used.has(tag)) return;
      used.add(tag);
      schedule();
    },
  };
}

function findCache(dir: string, prefix: string): { name: string; tags: string[]; data: Buffer } | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith('.cache'));
  } catch {
    return undefined;
  }
  // The one covering the most uses.
  const best = names
    .map((name) => ({ name, tags: name.slice(prefix.length, -'.cache'.length).split('+').filter((t) => t !== 'load') }))
    .sort((a, b) => b.tags.length - a.tags.length)[0];
  if (!best) return undefined;
  try {
    return { ...best, data: fs.readFileSync(path.join(dir, best.name)) };
  } catch {
    return undefined;
  }
}

/** Writes the cache as `name`, then removes the caches it replaces: the same file's other ones. */
function writeCache(dir: string, name: string, script: vm.Script, replaces: (name: string) => boolean): void {
  try {
    // Not recursive: if the folder holding the cache folder is gone (a removed temporary project), write nothing.
    if (!fs.existsSync(dir)) fs.mkdirSync(dir);
    const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, path.join(dir, name));
    for (const other of fs.readdirSync(dir)) {
      if (other !== name && other.endsWith('.cache') && replaces(other)) fs.rmSync(path.join(dir, other), { force: true });
    }
  } catch {
    // A read-only location: run without a cache.
  }
}

/**
 * The one way Retort turns a project's TypeScript (revisions, the model, a revision linted on its
 * own) into CommonJS it can run: esbuild compiles, `vm.compileFunction` evaluates, and the
 * module's `require` resolves from the file's own folder first. IO: reads files, loads esbuild
 * (only when something must be compiled).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ScriptError, describeError, type ErrorCode } from '../errors';
import { InterruptedError, interruptedBy } from '../target/interrupt';

/** What is being loaded: it decides the words and codes of errors. */
export type ModuleKind = 'revision' | 'model';

const KINDS: Record<ModuleKind, { readonly name: (file: string) => string; readonly syntax: ErrorCode; readonly load: ErrorCode }> = {
  revision: { name: (file) => file, syntax: 'REVISION_SYNTAX', load: 'REVISION_LOAD_FAILED' },
  model: { name: (file) => `The model module ${file}`, syntax: 'MODEL_SYNTAX', load: 'MODEL_LOAD_FAILED' },
};

export interface CompileOptions {
  readonly kind: ModuleKind;
  /** Absolute path of the module. */
  readonly file: string;
  /** Its text, when the caller has read it already (not with `bundle`). */
  readonly source?: string;
  /** Bundle the module's own relative imports in (packages stay `require`s): a model may span files. */
  readonly bundle?: boolean;
  /** Return a source map, so positions in the compiled code map back to the file's lines. */
  readonly sourceMap?: boolean;
}

export interface CompiledModule {
  readonly code: string;
  /** With `sourceMap`: esbuild's map (JSON). */
  readonly map?: string;
}

/**
 * Compiles one module to CommonJS for Node 20.
 *
 * @example
 * ```ts
 * const { code } = await compileModule({ kind: 'revision', file: '/p/revisions/7a3b_add.ts', source });
 * evaluateModule({ kind: 'revision', file: '/p/revisions/7a3b_add.ts', code }).revision // '7a3b...'
 * ```
 * @throws ScriptError `REVISION_SYNTAX` / `MODEL_SYNTAX` naming the file, line and column.
 */
export async function compileModule(options: CompileOptions): Promise<CompiledModule> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const common = { format: 'cjs', target: 'node20', logLevel: 'silent' } as const;
  try {
    if (options.bundle) {
      const out = await esbuild.build({
        ...common,
        entryPoints: [options.file],
        bundle: true,
        packages: 'external',
        platform: 'node',
        write: false,
        sourcemap: options.sourceMap ? 'inline' : false,
      });
      return { code: out.outputFiles[0]!.text };
    }
    const loader = /\.(js|cjs|mjs)$/.test(options.file) ? 'js' : 'ts';
    const out = await esbuild.transform(options.source ?? '', {
      ...common,
      loader,
      sourcefile: options.file,
      ...(options.sourceMap ? { sourcemap: 'external' as const } : {}),
    });
    return options.sourceMap ? { code: out.code, map: out.map } : { code: out.code };
  } catch (cause) {
    // Ctrl-C reaches esbuild's service process too (one process group), which then fails the
    // compile with "The service is no longer running": that is the interruption, not the file.
    const signal = interruptedBy();
    if (signal) throw new InterruptedError(signal, `Interrupted (${signal}) while compiling ${options.file}; nothing was run.`, { cause });
    const first = (cause as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }).errors?.[0];
    const loc = first?.location;
    const where = loc ? `${options.bundle && loc.file ? ` (${loc.file}:${loc.line}:${loc.column})` : `:${loc.line}:${loc.column}`}` : '';
    const kind = KINDS[options.kind];
    throw new ScriptError(kind.syntax, `${kind.name(options.file)}${where} does not compile: ${first?.text ?? describeError(cause)}. Fix the file.`, { cause });
  }
}

export interface EvaluateOptions {
  readonly kind: ModuleKind;
  readonly file: string;
  readonly code: string;
  /** The file name stack frames carry (default: `file`); lint gives its own to find them again. */
  readonly frameFile?: string;
}

/**
 * Runs compiled CommonJS as the module `file` and returns its exports.
 *
 * @throws ScriptError `REVISION_LOAD_FAILED` / `MODEL_LOAD_FAILED` when its top level throws.
 */
export function evaluateModule(options: EvaluateOptions): Record<string, unknown> {
  const factory = vm.compileFunction(options.code, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: options.frameFile ?? options.file,
  });
  return runFactory(options.kind, options.file, factory as ModuleFactory);
}

/** A CommonJS module's body as a function (what Node's own module wrapper makes of it). */
export type ModuleFactory = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/**
 * Runs a module body with `require` resolving from the file's folder; its exports, or a
 * ScriptError naming the file when it throws.
 */
export function runFactory(kind: ModuleKind, file: string, factory: ModuleFactory): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  try {
    factory(module.exports, requireFrom(file), module, file, path.dirname(file));
  } catch (cause) {
    if (cause instanceof ScriptError) throw cause;
    const missing = missingPackage(cause);
    if (missing !== undefined) {
      throw new ScriptError(
        KINDS[kind].load,
        `${KINDS[kind].name(file)} imports "${missing}", which is not installed where it can be found (from ${path.dirname(file)}). Run "npm install ${missing}" in the project, or remove the import.`,
        { cause },
      );
    }
    throw new ScriptError(KINDS[kind].load, `${KINDS[kind].name(file)} failed to load: ${describeError(cause)}. Fix the file.`, { cause });
  }
  return module.exports;
}

/** The package a `require` could not find (not a relative file), from Node's MODULE_NOT_FOUND error. */
function missingPackage(error: unknown): string | undefined {
  if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') return undefined;
  const id = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
  if (!id || id.startsWith('.') || path.isAbsolute(id)) return undefined;
  return id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
}

// One `require` per folder (createRequire costs about 0.1 ms, and 1000 revisions share a folder).
const requires = new Map<string, NodeJS.Require>();

// Packages a project's modules get from the running program rather than from their folder.
const provided = new Map<string, () => unknown>();

/**
 * Makes `require(name)` in every project module (model, revisions) return what `load` returns.
 * The CLI provides its own public API under the package's name: a model's DSL, its `sql` and
 * the errors it throws are then the very ones the CLI runs with (not a second copy loaded from
 * the project's node_modules, which would cost a few hundred files at every start).
 *
 * @example
 * ```ts
 * providePackage('retort-migrate', () => publicApi);
 * ```
 */
export function providePackage(name: string, load: () => unknown): void {
  provided.set(name, load);
}

/**
 * `require` for a module at `file`: a {@link providePackage provided} package first; then packages
 * resolve from its folder, then from Retort's own (kysely, pg), so a project kept outside a
 * node_modules tree still shares Retort's kysely.
 * When neither has a package, the error is the one from the file's folder (it names that file).
 */
export function requireFrom(file: string): NodeJS.Require {
  const dir = path.dirname(file);
  let found = requires.get(dir);
  if (found) return found;
  const fromFile = createRequire(file);
  const fn = ((id: string) => {
    const own = provided.get(id);
    if (own) return own();
    try {
      return fromFile(id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND' || id.startsWith('.') || path.isAbsolute(id)) throw error;
      try {
        return require(id);
      } catch {
        throw error;
      }
    }
  }) as NodeJS.Require;
  found = Object.assign(fn, { resolve: fromFile.resolve, cache: fromFile.cache, extensions: fromFile.extensions, main: fromFile.main });
  requires.set(dir, found);
  return found;
}

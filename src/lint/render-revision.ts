/**
 * Renders a revision's SQL offline for lint, the way `migrate upgrade --sql` does (a Kysely that
 * records instead of sending), and remembers which source line ran each statement. IO: reads the
 * file and compiles it with esbuild. The checks themselves are pure (lint-revision.ts).
 */
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { ScriptError, describeError } from '../errors';
import { compileModule, evaluateModule } from '../loader/compile-module';
import type { RevisionModule } from '../revision-module';
import { buildMigrationContext } from '../runtime/migration-context';
import { recordingKysely, type StatementSink } from '../runtime/offline';
import { revisionModuleOf } from '../scripts/load-revisions';
import type { RenderedDirection, RenderedStatement } from './lint-revision';

/** A compiled revision whose stack frames can be mapped back to its source lines. */
interface LintModule {
  readonly module: RevisionModule;
  /** Source line of a position in the compiled code (both 1-based), or undefined. */
  originalLine(line: number, column: number): number | undefined;
  /** File name its frames carry. */
  readonly frameFile: string;
}

/** Compiles and evaluates a revision file on its own (not from the shared cache), with a source map. */
async function loadForLint(file: string, text: string): Promise<LintModule> {
  const frameFile = `retort-lint:${file}`;
  const compiled = await compileModule({ kind: 'revision', file, source: text, sourceMap: true });
  const map = compiled.map === undefined ? undefined : new SourceMap(JSON.parse(compiled.map) as ConstructorParameters<typeof SourceMap>[0]);
  const mod = revisionModuleOf(evaluateModule({ kind: 'revision', file, code: compiled.code, frameFile }));
  if (typeof mod.upgrade !== 'function' || typeof mod.downgrade !== 'function') {
    throw new ScriptError(
      'BAD_REVISION',
      `${file}: export function upgrade(ctx) and downgrade(ctx) are required. See the template written by "migrate revision".`,
    );
  }
  return {
    module: mod,
    frameFile,
    originalLine(line, column) {
      if (!map) return line;
      const entry = map.findEntry(line - 1, column - 1);
      return 'originalLine' in entry ? entry.originalLine + 1 : undefined;
    },
  };
}

/** The source line of the innermost frame of `mod` on the current stack. */
function callerLine(mod: LintModule): number | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder);
  const sites = holder.stack as NodeJS.CallSite[];
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  const site = sites.find((s) => s.getFileName() === mod.frameFile);
  const line = site?.getLineNumber();
  const column = site?.getColumnNumber();
  return line == null || column == null ? undefined : mod.originalLine(line, column);
}

/**
 * Records statements with the source line that ran them. The line is taken when a statement asks
 * for a connection, which Kysely does synchronously from the revision's `.execute()` call, so the
 * revision's own frame is still on the stack; inside a revision's own transaction it falls back to
 * the (async) stack of the statement itself. Reads return no rows.
 */
class LintSink implements StatementSink {
  readonly statements: RenderedStatement[] = [];
  readonly allowReads = true;
  readonly recordTransactions = false;
  /** Off while Kysely initialises its driver, which is not the revision's doing. */
  recording = false;
  private pendingLine: number | undefined;
  constructor(private readonly mod: LintModule) {}

  beforeStatement(): void {
    if (this.recording) this.pendingLine = callerLine(this.mod);
  }

  record(text: string): void {
    const line = this.pendingLine ?? callerLine(this.mod);
    this.pendingLine = undefined;
    this.statements.push(line === undefined ? { text } : { text, line });
  }
}

export interface RenderRevisionOptions {
  /** Absolute path of the revision file. */
  readonly file: string;
  /** What `ctx.schema` is while rendering. */
  readonly schema: string;
  /** What `ctx.suRole` is (a placeholder when the project sets none). */
  readonly suRole?: string;
  readonly directions?: ReadonlyArray<'upgrade' | 'downgrade'>;
}

export interface RenderedRevision {
  readonly file: string;
  readonly source: string;
  readonly revision: string | undefined;
  readonly rendered: RenderedDirection[];
}

/**
 * Runs a revision's `upgrade` and `downgrade` against a recording Kysely with `ctx.schema` set to
 * `schema` and `ctx.offline` true. Reads return no rows; a revision that throws keeps what it
 * rendered so far and reports the error.
 *
 * @example
 * ```ts
 * const r = await renderRevision({ file: '/p/revisions/7a3b_add.ts', schema: 'retort_lint_schema' });
 * r.rendered[0].statements[0] // { text: 'alter table "retort_lint_schema"."t" add column "n" text', line: 14 }
 * ```
 */
export async function renderRevision(options: RenderRevisionOptions): Promise<RenderedRevision> {
  let source: string;
  try {
    source = fs.readFileSync(options.file, 'utf8');
  } catch (cause) {
    throw new ScriptError('LINT_UNREADABLE', `Cannot read ${options.file}: ${describeError(cause)}. Check the path.`, { cause });
  }
  const mod = await loadForLint(options.file, source);
  const rendered: RenderedDirection[] = [];
  for (const direction of options.directions ?? ['upgrade', 'downgrade']) {
    const sink = new LintSink(mod);
    const db = recordingKysely(sink);
    // Kysely initialises its driver on the first connection, after an await that would lose the
    // revision's frame; do it now.
    await db.connection().execute(async () => undefined);
    sink.recording = true;
    const ctx = buildMigrationContext({
      db,
      schema: options.schema,
      suRole: options.suRole ?? 'retort_lint_su_role',
      revision: typeof mod.module.revision === 'string' ? mod.module.revision : path.basename(options.file),
      direction: direction === 'upgrade' ? 'up' : 'down',
      offline: true,
    });
    let error: string | undefined;
    try {
      await (direction === 'upgrade' ? mod.module.upgrade(ctx) : mod.module.downgrade(ctx));
    } catch (cause) {
      error = describeError(cause);
    }
    await db.destroy();
    rendered.push(error === undefined ? { direction, statements: sink.statements } : { direction, statements: sink.statements, error });
  }
  return { file: options.file, source, revision: typeof mod.module.revision === 'string' ? mod.module.revision : undefined, rendered };
}

import type { Target } from '../config/target';
import { formatTable, type FleetResult } from '../commands/fleet';
import { formatDuration, stepArrow, stepEventLine, stepTitle, type Output, type StepEvent } from '../commands/output';
import { interruptedBy, onInterrupt } from '../target/interrupt';
import type { Io } from './io';
import { aroundIo, colours, cut, cutTarget, painter, terminalMode, textWidth, type TerminalMode } from './progress-terminal';

export { colours, useColour } from './progress-terminal';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

type LogUpdate = ((...text: string[]) => void) & { clear(): void; done(): void };

interface Running {
  readonly started: number;
  /** The step running now, or the last one that finished (`done`). */
  step?: StepEvent;
  stepStarted: number;
}

/**
 * Progress of a multi-target command.
 *
 * On a terminal (not CI, not `--json`): under the lines that scroll (each finished step, each
 * failure in full), one live line per running target, redrawn by log-update: the step that is
 * running with `n/N` and how long it has been running, each line cut to the terminal's width.
 * Ctrl-C clears the live lines at once; each target then says what was rolled back.
 *
 * Elsewhere: plain lines prefixed with the target, one per event, never redrawn.
 */
export class FleetProgress {
  private readonly running = new Map<string, Running>();
  private counts = { done: 0, failed: 0 };
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly undo: Array<() => void> = [];
  private readonly paint;

  private constructor(
    private readonly io: Io,
    private readonly name: (t: Target) => string,
    private readonly mode: TerminalMode,
    private readonly json: boolean,
    private readonly total: number,
    private readonly log: LogUpdate | undefined,
  ) {
    this.paint = painter(mode.colour);
    if (!log) return;
    // Whatever else the command writes (a lint warning, a lock wait) goes above the live lines.
    this.undo.push(
      aroundIo(
        io,
        () => log.clear(),
        () => this.render(),
      ),
    );
    this.undo.push(onInterrupt(() => this.interrupted()));
  }

  static async create(io: Io, name: (t: Target) => string, options: { json: boolean; total: number }): Promise<FleetProgress> {
    const mode = terminalMode(io, options);
    // log-update is an ES module: loaded only for a live display (esbuild bundles it into the CLI).
    // A terminal that reports no size (0 x 0, e.g. a pty nobody sized) still gets lines: log-update
    // would keep none of them for 0 rows.
    const stdout = {
      get columns() {
        return process.stdout.columns || 80;
      },
      get rows() {
        return process.stdout.rows || 24;
      },
      write: (text: string) => process.stdout.write(text),
    } as unknown as NodeJS.WriteStream;
    const log = mode.live ? (await import('log-update')).createLogUpdate(stdout) : undefined;
    return new FleetProgress(io, name, mode, options.json, options.total, log);
  }

  start(target: Target): void {
    const now = performance.now();
    this.running.set(this.name(target), { started: now, stepStarted: now });
    if (this.log && !this.timer && !this.stopped) this.timer = setInterval(() => this.render(), 100);
    this.render();
  }

  /** The Output a target's command writes its lines to. */
  outputFor(target: Target): Output {
    const key = this.name(target);
    return {
      line: (text) => {
        if (!this.json) this.io.out(`[${key}] ${text}`);
      },
      warn: (text) => this.io.err(`[${key}] ${text}`),
      step: (e) => {
        const r = this.running.get(key);
        if (r) {
          r.step = e;
          r.stepStarted = performance.now();
        }
        if (this.json) return;
        if (!this.log) this.io.out(`[${key}] ${stepEventLine(e)}`);
        // Live: a step is written once, when it ends; the live line shows it while it runs.
        else if (e.phase === 'done')
          this.io.out(`[${key}] ${stepTitle(e)} ... ${this.paint(colours.green)('done')} ${this.paint(colours.dim)(`(${formatDuration(e.durationMs)})`)}`);
        else this.render();
      },
    };
  }

  done(result: FleetResult<unknown>, reason: string): void {
    const key = this.name(result.target);
    this.running.delete(key);
    if (result.status === 'ok') this.counts.done++;
    if (result.status === 'failed') {
      this.counts.failed++;
      // The summary table cuts reasons to the terminal's width: the whole one scrolls by here.
      if (this.log) this.io.err(this.paint(colours.red)(`[${key}] ${interruptedBy() ? '' : 'FAILED: '}${reason}`));
    }
    this.render();
  }

  finish(): void {
    this.stop();
    for (const undo of this.undo.splice(0).reverse()) undo();
  }

  /** Ctrl-C / SIGTERM: the live lines go at once; the targets' own lines then say what was rolled back. */
  private interrupted(): void {
    this.stop();
    this.io.err(
      `Interrupted (${interruptedBy()}): cancelling the running statements of ${this.running.size} target${this.running.size === 1 ? '' : 's'} and rolling back ...`,
    );
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.log && !this.stopped) {
      this.log.clear();
      this.log.done();
    }
    this.stopped = true;
  }

  private render(): void {
    if (!this.log || this.stopped) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const width = process.stdout.columns || this.mode.width || 80;
    const now = performance.now();
    const lines = [...this.running].map(([key, r]) => {
      const spin = SPINNER[this.frame]!;
      const e = r.step;
      const what =
        e === undefined
          ? 'connecting'
          : e.phase === 'start'
            ? `${e.direction === 'up' ? 'upgrade' : 'downgrade'} ${stepArrow(e)}, ${e.message || 'no message'}`
            : e.index === e.total
              ? 'committing'
              : 'next step';
      const elapsed = `${((now - (e ? r.stepStarted : r.started)) / 1000).toFixed(1)} s`;
      return this.line(
        [
          [spin, colours.yellow],
          [` ${cutTarget(key, Math.max(12, Math.floor(width * 0.4)))}`],
          [e ? `  ${e.index}/${e.total}` : ''],
          [`  ${elapsed}`, colours.dim],
          [`  ${what}`],
        ],
        width,
      );
    });
    const waiting = this.total - this.counts.done - this.counts.failed - this.running.size;
    const status = `${this.counts.done} of ${this.total} targets done, ${this.running.size} running${waiting > 0 ? `, ${waiting} waiting` : ''}${this.counts.failed ? `, ${this.counts.failed} failed` : ''}`;
    lines.push(this.line([[status, colours.dim]], width));
    this.log(lines.join('\n'));
  }

  /** Segments joined and cut to `width` as plain text, then painted. */
  private line(segments: ReadonlyArray<readonly [string, ((s: string) => string)?]>, width: number): string {
    let left = cut(segments.map(([s]) => s).join(''), width);
    let out = '';
    for (const [text, colour] of segments) {
      const part = left.slice(0, text.length);
      left = left.slice(text.length);
      out += colour ? this.paint(colour)(part) : part;
    }
    return out + left;
  }
}

/**
 * The summary table. On a terminal (`width` set) it fits the width: the result (an error can be
 * long) is cut; when even a short result would not fit, the duration, `from` and `to` columns are
 * left out, in that order, and then long target names are cut. Elsewhere: every column, whole.
 * Results are coloured by status.
 */
export function summaryTable(
  rows: ReadonlyArray<{
    readonly target: string;
    readonly from: string;
    readonly to: string;
    readonly duration: string;
    readonly result: string;
    readonly status: FleetResult<unknown>['status'];
  }>,
  mode: Pick<TerminalMode, 'colour' | 'width'>,
): string[] {
  type Column = 'target' | 'from' | 'to' | 'duration' | 'result';
  const width = mode.width;
  const widthOf = (column: Column) => Math.max(column.length, ...rows.map((r) => textWidth(r[column])));
  let columns: Column[] = ['target', 'from', 'to', 'duration', 'result'];
  // Keep at least this much of the result on screen before giving up a column.
  const resultRoom = Math.min(widthOf('result'), 24);
  const prefix = () => columns.filter((c) => c !== 'result').reduce((n, c) => n + widthOf(c) + 2, 0);
  for (const drop of ['duration', 'from', 'to'] as const) {
    if (width === undefined || prefix() + resultRoom <= width) break;
    columns = columns.filter((c) => c !== drop);
  }
  const targetRoom = width === undefined ? Infinity : Math.max(8, width - resultRoom - 2 - (prefix() - widthOf('target') - 2));
  const cell = (r: (typeof rows)[number], c: Column) => (c === 'target' && textWidth(r.target) > targetRoom ? cutTarget(r.target, targetRoom) : r[c]);
  const table = formatTable(
    columns,
    rows.map((r) => columns.map((c) => cell(r, c))),
  );
  const paint = painter(mode.colour);
  return table.map((line, i) => {
    const text = width ? cut(line, width).replace(i === 1 ? /…$/ : /$^/, '-') : line;
    const row = rows[i - 2];
    if (!row) return text;
    const at = line.length - row.result.length;
    const colour = row.status === 'ok' ? colours.green : row.status === 'skipped' ? colours.yellow : colours.red;
    return text.slice(0, at) + paint(colour)(text.slice(at));
  });
}

import type { Target } from '../config/target';
import type { FleetResult } from '../commands/fleet';
import type { Output } from '../commands/output';
import type { Io } from './io';

/** Whether to colour output: a TTY, and NO_COLOR unset (https://no-color.org). */
export function useColour(io: Io): boolean {
  return io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

export const colours = {
  green: (s: string) => `\x1b[32m${s}\x1b[0m`,
  red: (s: string) => `\x1b[31m${s}\x1b[0m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[0m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[0m`,
};

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress of a multi-target command. On a terminal (not CI, not --json): a live line per running
 * target (spinner, revision being applied, elapsed time) under the scrolling step lines. Elsewhere:
 * plain step lines prefixed with the target.
 */
export class FleetProgress {
  private readonly running = new Map<string, { started: number; step: string }>();
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly live: boolean;

  constructor(
    private readonly io: Io,
    private readonly name: (t: Target) => string,
    options: { json: boolean },
  ) {
    this.live = useColour(io) && !options.json && !io.env.CI;
  }

  start(target: Target): void {
    this.running.set(this.name(target), { started: performance.now(), step: 'connecting' });
    if (this.live && !this.timer) this.timer = setInterval(() => this.redraw(), 100);
    this.redraw();
  }

  /** The Output a target's command writes its lines to. */
  outputFor(target: Target, json: boolean): Output {
    const key = this.name(target);
    return {
      line: (text) => {
        const r = this.running.get(key);
        if (r) r.step = text.replace(/^Running /, '').replace(/ \(\d+ ms\)$/, '');
        if (!json) this.print(`[${key}] ${text}`);
      },
      warn: (text) => this.print(`[${key}] ${text}`, true),
    };
  }

  done(result: FleetResult<unknown>): void {
    this.running.delete(this.name(result.target));
    this.redraw();
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private print(text: string, err = false): void {
    this.clear();
    if (err) this.io.err(text);
    else this.io.out(text);
    this.redraw();
  }

  private clear(): void {
    if (!this.live || this.drawn === 0) return;
    process.stdout.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.live) return;
    this.clear();
    this.frame = (this.frame + 1) % SPINNER.length;
    const lines = [...this.running].map(([key, r]) => {
      const secs = ((performance.now() - r.started) / 1000).toFixed(1);
      return `${colours.yellow(SPINNER[this.frame]!)} ${key}  ${colours.dim(`${secs}s`)}  ${r.step}`;
    });
    for (const l of lines) process.stdout.write(l + '\n');
    this.drawn = lines.length;
  }
}

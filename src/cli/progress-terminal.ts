import type { Io } from './io';

/** What the standard output can do, decided once per command. */
export interface TerminalMode {
  /** Redraw live lines (a terminal, not `TERM=dumb`, not CI, not `--json`). */
  readonly live: boolean;
  /** Colour (a terminal, `NO_COLOR` unset: https://no-color.org). */
  readonly colour: boolean;
  /** Columns of the terminal; undefined when the output is not one (a pipe or a file is never cut). */
  readonly width: number | undefined;
}

export function terminalMode(io: Io, options: { json: boolean }): TerminalMode {
  const terminal = io.isTTY && io.env.TERM !== 'dumb';
  return {
    live: terminal && !options.json && !isCI(io.env),
    colour: useColour(io) && !options.json,
    width: terminal ? process.stdout.columns || 80 : undefined,
  };
}

/** CI=true (or any value but false/0): logs are read later, so no redraws. */
function isCI(env: Io['env']): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

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

export type Paint = (s: string) => string;

/** `paint` when colour is on, else the text as it is. */
export function painter(colour: boolean): (paint: Paint) => Paint {
  return (paint) => (colour ? paint : (s) => s);
}

/** Columns a code point takes on a terminal: 2 for East Asian wide and most emoji, else 1. */
function columnsOf(codePoint: number): number {
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Columns `text` (no escape sequences) takes on a terminal. */
export function textWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += columnsOf(ch.codePointAt(0)!);
  return n;
}

/**
 * `text` (no escape sequences, one line) cut to `width` columns, ending in `…` when cut, so a
 * redrawn line never wraps. Tabs and other control characters become spaces.
 */
export function cut(text: string, width: number): string {
  const clean = text.replace(/[\x00-\x1f\x7f]/g, ' ');
  if (textWidth(clean) <= width) return clean;
  let out = '';
  let used = 0;
  for (const ch of clean) {
    const w = columnsOf(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return width > 0 ? `${out}…` : '';
}

/**
 * A target name (`database:schema`) cut to `width` columns where it tells targets apart least: the
 * database part goes first, so `--schemas 'tenant_*'` on a narrow terminal still shows each schema.
 *
 * @example
 * ```ts
 * cutTarget('stranger_app:tenant_a', 16) // 'strang…:tenant_a'
 * ```
 */
export function cutTarget(name: string, width: number): string {
  const colon = name.lastIndexOf(':');
  const schema = name.slice(colon + 1);
  if (colon < 0 || textWidth(name) <= width || textWidth(schema) + 3 > width) return cut(name, width);
  return `${cut(name.slice(0, colon), width - textWidth(schema) - 1)}:${schema}`;
}

/**
 * Runs `before` ahead of every line the command writes through `io`, and `after` behind it
 * (a live display clears itself and redraws below the line). Returns the function that undoes it.
 */
export function aroundIo(io: Io, before: () => void, after: () => void = () => {}): () => void {
  const { out, err } = io;
  io.out = (line) => {
    before();
    out(line);
    after();
  };
  io.err = (line) => {
    before();
    err(line);
    after();
  };
  return () => {
    io.out = out;
    io.err = err;
  };
}

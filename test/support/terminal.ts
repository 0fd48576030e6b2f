/**
 * A minimal terminal for tests: replays what a program wrote to a pseudo-terminal and gives the
 * screen a person would see at the end. It handles what a line-redrawing CLI uses: printable text
 * with auto-wrap at the width (xterm's deferred wrap), \r, \n, \b, \t, cursor up/down/left/right
 * (ESC[nA/B/C/D), column (ESC[nG), erase line (ESC[K, ESC[1K, ESC[2K), erase below (ESC[J) and SGR
 * (ESC[...m, colour: counted, not drawn). The screen is as tall as the output (the scrollback
 * included), so cursor-up reaches any row.
 */
export interface ScreenRow {
  readonly text: string;
  /** The row continues the one above: the terminal wrapped a line longer than the width. */
  readonly wrapped: boolean;
}

export interface Replay {
  /** The rows on screen at the end, trailing spaces removed. */
  readonly rows: readonly ScreenRow[];
  /** Rows joined back where the terminal wrapped them: the lines as written. */
  readonly lines: readonly string[];
  /** SGR sequences seen (colour, bold, reset). */
  readonly sgr: number;
  /** Times a line was erased (ESC[K / ESC[2K / ESC[J): how often the program redrew. */
  readonly erasures: number;
  /** Times a row holding `watch` (e.g. a spinner frame) was wrapped onto the next row: a redrawn line too wide. */
  readonly watchedWraps: number;
  /** The rows that were on screen when a whole-line or erase-below removed them (the redrawn lines), in order. */
  readonly erased: readonly string[];
}

export function replay(output: string, options: { width: number; watch?: RegExp }): Replay {
  const { width } = options;
  const rows: Array<{ cells: string[]; wrapped: boolean }> = [{ cells: [], wrapped: false }];
  let r = 0;
  let c = 0;
  let pendingWrap = false;
  let sgr = 0;
  let erasures = 0;
  let watchedWraps = 0;
  const erased: string[] = [];
  const remember = (i: number) => {
    const text = rows[i]?.cells.join('').replace(/\s+$/, '');
    if (text) erased.push(text);
  };
  const row = (i: number) => {
    while (rows.length <= i) rows.push({ cells: [], wrapped: false });
    return rows[i]!;
  };
  const lineFeed = () => {
    r++;
    row(r);
  };
  const put = (ch: string) => {
    if (pendingWrap) {
      if (options.watch && options.watch.test(rows[r]!.cells.join(''))) watchedWraps++;
      lineFeed();
      rows[r]!.wrapped = true;
      c = 0;
      pendingWrap = false;
    }
    const cells = row(r).cells;
    while (cells.length < c) cells.push(' ');
    cells[c] = ch;
    if (c === width - 1) pendingWrap = true;
    else c++;
  };
  const chars = Array.from(output);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\x1b') {
      if (chars[i + 1] !== '[') {
        i++; // ESC 7, ESC 8 and the like: nothing a redraw test needs
        continue;
      }
      let j = i + 2;
      let params = '';
      while (j < chars.length && !/[@-~]/.test(chars[j]!)) params += chars[j++];
      const final = chars[j];
      i = j;
      if (params.startsWith('?')) continue; // cursor visibility and other modes
      const n = params === '' ? undefined : Number(params.split(';')[0]);
      // Colour leaves a pending wrap pending; moving the cursor or erasing ends it.
      if (final !== 'm') pendingWrap = false;
      switch (final) {
        case 'A':
          r = Math.max(0, r - (n || 1));
          break;
        case 'B':
          r += n || 1;
          row(r);
          break;
        case 'C':
          c = Math.min(width - 1, c + (n || 1));
          break;
        case 'D':
          c = Math.max(0, c - (n || 1));
          break;
        case 'G':
          c = Math.min(width - 1, Math.max(0, (n || 1) - 1));
          break;
        case 'K': {
          erasures++;
          const cells = row(r).cells;
          if (!n) cells.length = Math.min(cells.length, c);
          else if (n === 1) for (let k = 0; k <= c && k < cells.length; k++) cells[k] = ' ';
          else {
            remember(r);
            cells.length = 0;
          }
          // An erased row no longer continues the one above.
          if (cells.length === 0) rows[r]!.wrapped = false;
          break;
        }
        case 'J':
          erasures++;
          if (!n) {
            for (let k = r + 1; k < rows.length; k++) remember(k);
            row(r).cells.length = Math.min(rows[r]!.cells.length, c);
            rows.length = r + 1;
          } else {
            rows.length = 0;
            row(r);
          }
          break;
        case 'm':
          sgr++;
          break;
        default:
          break;
      }
      continue;
    }
    if (ch === '\r') {
      c = 0;
      pendingWrap = false;
    } else if (ch === '\n') {
      lineFeed();
      pendingWrap = false;
    } else if (ch === '\b') {
      c = Math.max(0, c - 1);
      pendingWrap = false;
    } else if (ch === '\t') {
      c = Math.min(width - 1, (Math.floor(c / 8) + 1) * 8);
    } else if (ch >= ' ' && ch !== '\x7f') {
      put(ch);
    }
  }
  const screen = rows.map((x) => ({ text: x.cells.join('').replace(/\s+$/, ''), wrapped: x.wrapped }));
  while (screen.length > 0 && screen[screen.length - 1]!.text === '') screen.pop();
  const lines: string[] = [];
  screen.forEach((x, i) => {
    // A row the terminal wrapped was full: its trailing blanks are part of the line.
    if (x.wrapped && lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.padEnd(lineStartWidth(i), ' ') + x.text;
    else lines.push(x.text);
  });
  function lineStartWidth(i: number): number {
    let n = 0;
    for (let k = i - 1; k >= 0; k--) {
      n += width;
      if (!screen[k]!.wrapped) break;
    }
    return n;
  }
  return { rows: screen, lines, sgr, erasures, watchedWraps, erased };
}

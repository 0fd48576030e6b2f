/**
 * A small PostgreSQL lexer for lint: enough to find names, keywords, strings and dollar-quoted
 * bodies without being fooled by comments or quotes. It does not parse; the checks walk tokens.
 */

export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'dollar' | 'number' | 'param' | 'op' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /**
   * `word`: lower-cased; `quoted`: the identifier without quotes; `string`: the content;
   * `dollar`: the body between the tags; otherwise the text.
   */
  readonly value: string;
  /** Offset of the token in the text. */
  readonly start: number;
  /** For `dollar`: offset of the body in the text. */
  readonly bodyStart?: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OP_CHAR = /[+\-*/<>=~!@#%^&|`?:]/;

/**
 * Splits SQL text into tokens, dropping whitespace and comments.
 *
 * @example
 * ```ts
 * tokenize('select "A".b from t -- c').map((t) => t.value) // ['select', 'A', '.', 'b', 'from', 't']
 * ```
 */
export function tokenize(text: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(text, i);
    } else if (c === "'") {
      const [value, end] = readString(text, i, false);
      out.push({ kind: 'string', value, start: i });
      i = end;
    } else if ((c === 'e' || c === 'E') && next === "'") {
      const [value, end] = readString(text, i + 1, true);
      out.push({ kind: 'string', value, start: i });
      i = end;
    } else if (/[bBxXnN]/.test(c) && next === "'") {
      const [value, end] = readString(text, i + 1, false);
      out.push({ kind: 'string', value, start: i });
      i = end;
    } else if (c === '"') {
      const [value, end] = readQuotedIdent(text, i);
      out.push({ kind: 'quoted', value, start: i });
      i = end;
    } else if (c === '$') {
      const param = /^\$\d+/.exec(text.slice(i, i + 12));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 70));
      if (param) {
        out.push({ kind: 'param', value: param[0], start: i });
        i += param[0].length;
      } else if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const bodyStart = i + tag[0].length;
        const bodyEnd = close === -1 ? n : close;
        out.push({ kind: 'dollar', value: text.slice(bodyStart, bodyEnd), start: i, bodyStart });
        i = close === -1 ? n : close + tag[0].length;
      } else {
        out.push({ kind: 'op', value: '$', start: i });
        i++;
      }
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(text[j]!)) j++;
      out.push({ kind: 'word', value: text.slice(i, j).toLowerCase(), start: i });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next) && !isNameEnd(out))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))!;
      out.push({ kind: 'number', value: m[0], start: i });
      i += m[0].length;
    } else if ('(),;.[]'.includes(c)) {
      out.push({ kind: 'punct', value: c, start: i });
      i++;
    } else if (OP_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && OP_CHAR.test(text[j]!) && !(text[j] === '-' && text[j + 1] === '-') && !(text[j] === '/' && text[j + 1] === '*')) j++;
      out.push({ kind: 'op', value: text.slice(i, j), start: i });
      i = j;
    } else {
      out.push({ kind: 'op', value: c, start: i });
      i++;
    }
  }
  return out;
}

/** `a.1` after a name is a field access, not the number `.1`. */
function isNameEnd(tokens: readonly SqlToken[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.kind === 'word' || last.kind === 'quoted' || (last.kind === 'punct' && last.value === ')'));
}

function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return text.length;
}

function readString(text: string, start: number, backslashEscapes: boolean): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (backslashEscapes && c === '\\') {
      value += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
      } else {
        return [value, i + 1];
      }
    } else {
      value += c;
      i++;
    }
  }
  return [value, text.length];
}

function readQuotedIdent(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
      } else {
        return [value, i + 1];
      }
    } else {
      value += text[i];
      i++;
    }
  }
  return [value, text.length];
}

/** Splits tokens into statements at `;`. */
export function splitStatements(tokens: readonly SqlToken[]): SqlToken[][] {
  const out: SqlToken[][] = [];
  let current: SqlToken[] = [];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';') {
      if (current.length > 0) out.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A word token with this (lower-case) value. */
export function isWord(t: SqlToken | undefined, ...values: string[]): boolean {
  return t !== undefined && t.kind === 'word' && (values.length === 0 || values.includes(t.value));
}

export function isPunct(t: SqlToken | undefined, value: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.value === value;
}

/** A word or a quoted identifier. */
export function isIdent(t: SqlToken | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
}

/** A dotted name starting at `i`: its parts (at most three) and the index after it. */
export interface DottedName {
  readonly parts: readonly string[];
  readonly start: number;
  readonly end: number;
}

/**
 * Reads `a`, `a.b` or `a.b.c` at token `i`.
 *
 * @example
 * ```ts
 * readName(tokenize('"s".t x'), 0) // { parts: ['s', 't'], start: 0, end: 3 }
 * ```
 */
export function readName(tokens: readonly SqlToken[], i: number): DottedName | undefined {
  if (!isIdent(tokens[i])) return undefined;
  const parts = [tokens[i]!.value];
  let j = i + 1;
  while (parts.length < 3 && isPunct(tokens[j], '.') && isIdent(tokens[j + 1])) {
    parts.push(tokens[j + 1]!.value);
    j += 2;
  }
  return { parts, start: i, end: j };
}

/** Index of the `)` that closes the `(` at `open`, or the end. */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}

/** Splits tokens at commas that are not inside parentheses (ALTER TABLE actions). */
export function splitTopLevel(tokens: readonly SqlToken[], separator = ','): SqlToken[][] {
  const out: SqlToken[][] = [];
  let current: SqlToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    if (isPunct(t, ')') || isPunct(t, ']')) depth--;
    if (depth === 0 && isPunct(t, separator)) {
      out.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  out.push(current);
  return out;
}

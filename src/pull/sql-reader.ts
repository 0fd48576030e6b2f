/**
 * A small cursor over SQL text as PostgreSQL prints it (pg_get_constraintdef, pg_get_indexdef,
 * pg_get_triggerdef, pg_get_functiondef): read a keyword, a possibly qualified name, a
 * parenthesised group, a string literal. Quotes are respected; nothing is evaluated.
 */
import { closingQuote, readQualifiedName } from '../schema/sql-text';

/** Index of the `)` that closes the `(` at `open`, or -1. Skips quoted text. */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits at `separator` where it is outside quotes and parentheses: `a, f(b, c)` -> [`a`, `f(b, c)`]. */
export function splitTopLevel(text: string, separator = ', '): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(text, i);
      if (end < 0) break;
      i = end;
    } else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Thrown when printed SQL does not have the shape a reader expects. */
export class UnexpectedSql extends Error {}

/** A cursor over one printed definition. */
export class SqlReader {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  get rest(): string {
    return this.text.slice(this.pos);
  }

  /** Consumes `literal` when the text continues with it. */
  take(literal: string): boolean {
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  expect(literal: string): void {
    if (!this.take(literal)) throw new UnexpectedSql(`expected ${JSON.stringify(literal)} at ${JSON.stringify(this.rest.slice(0, 40))}`);
  }

  /** A possibly qualified name, unquoted: `public.t` -> ['public', 't']. */
  name(): string[] {
    const read = readQualifiedName(this.text, this.pos);
    if (!read) throw new UnexpectedSql(`expected a name at ${JSON.stringify(this.rest.slice(0, 40))}`);
    this.pos = read.end;
    return read.parts;
  }

  /** The text inside the parentheses starting here (which are consumed). */
  group(): string {
    if (this.text[this.pos] !== '(') throw new UnexpectedSql(`expected "(" at ${JSON.stringify(this.rest.slice(0, 40))}`);
    const end = closingParen(this.text, this.pos);
    if (end < 0) throw new UnexpectedSql('unbalanced parentheses');
    const inside = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return inside;
  }

  /** A comma-separated list of names inside parentheses: `(a, "B")` -> ['a', 'B']. */
  nameList(): string[] {
    const reader = new SqlReader(this.group());
    const names: string[] = [];
    do {
      const parts = reader.name();
      if (parts.length !== 1) throw new UnexpectedSql('expected a column name');
      names.push(parts[0]!);
    } while (reader.take(', '));
    if (!reader.done) throw new UnexpectedSql(`unexpected ${JSON.stringify(reader.rest)} in a name list`);
    return names;
  }

  /** A string literal `'it''s'` -> `it's`. */
  literal(): string {
    if (this.text[this.pos] !== "'") throw new UnexpectedSql('expected a string literal');
    const end = closingQuote(this.text, this.pos);
    if (end < 0) throw new UnexpectedSql('unterminated string literal');
    const value = this.text.slice(this.pos + 1, end).replace(/''/g, "'");
    this.pos = end + 1;
    return value;
  }
}

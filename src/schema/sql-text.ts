/**
 * Small, pure helpers for PostgreSQL SQL text: identifier quoting the way `quote_ident`
 * does it, and renaming identifiers inside definitions PostgreSQL produced.
 */

// PostgreSQL 15 keywords that are not "unreserved": quote_ident quotes them.
const KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case ' +
    'cast char character check coalesce collate collation column concurrently constraint create cross current_catalog ' +
    'current_date current_role current_schema current_time current_timestamp current_user dec decimal default ' +
    'deferrable desc distinct do else end except exists extract false fetch float for foreign freeze from full grant ' +
    'greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join ' +
    'lateral leading least left like limit localtime localtimestamp national natural nchar none normalize not notnull ' +
    'null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real ' +
    'references returning right row select session_user setof similar smallint some substring symmetric table ' +
    'tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic ' +
    'verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse ' +
    'xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

/** Always double-quotes: `t` -> `"t"`. Used for every identifier the renderer writes. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes only when PostgreSQL's `quote_ident` would: `t` -> `t`, `Order` -> `"Order"`, `user` -> `"user"`. */
export function quoteIdentIfNeeded(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !KEYWORDS.has(name)) return name;
  return quoteIdent(name);
}

/**
 * Index of the quote that closes the one at `start` (a `'` or `"`; doubled quotes escape), or -1.
 *
 * @example
 * ```ts
 * closingQuote(`'it''s' x`, 0) // 6
 * ```
 */
export function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] !== quote) continue;
    if (text[j + 1] === quote) {
      j++;
      continue;
    }
    return j;
  }
  return -1;
}

/** A SQL string literal: `it's` -> `'it''s'`. */
export function quoteLiteral(value: string): string {
  if (value.includes('\\')) return "E'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
  return "'" + value.replace(/'/g, "''") + "'";
}

/**
 * Renames identifiers in SQL text that PostgreSQL produced (a constraint, index or default
 * definition), leaving string literals, except `'name'::regclass`, untouched.
 *
 * @example
 * ```ts
 * renameIdentifiers('CHECK ((price > 0))', new Map([['price', 'cost']])) // 'CHECK ((cost > 0))'
 * ```
 */
export function renameIdentifiers(text: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      const literal = text.slice(i, j + 1);
      const after = text.slice(j + 1, j + 11);
      if (after === '::regclass') {
        const value = literal.slice(1, -1).replace(/''/g, "'");
        const renamed = renameRegclassText(value, names);
        out += renamed === value ? literal : quoteLiteral(renamed);
      } else {
        out += literal;
      }
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      const { name, end: j } = readQuotedIdent(text, i);
      const renamed = names.get(name);
      out += renamed === undefined ? text.slice(i, j + 1) : quoteIdentIfNeeded(renamed);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) && (i === 0 || !/[A-Za-z0-9_$]/.test(text[i - 1]!))) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      // Lowercase bare words are identifiers (PostgreSQL prints keywords in upper case); a word
      // followed by `(` is a function call, except the table of `REFERENCES t(id)`.
      const call = text[j] === '(' && !out.endsWith('REFERENCES ');
      const renamed = /^[a-z_][a-z0-9_$]*$/.test(word) && !call ? names.get(word) : undefined;
      out += renamed === undefined ? word : quoteIdentIfNeeded(renamed);
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function renameRegclassText(value: string, names: ReadonlyMap<string, string>): string {
  const unquoted = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/""/g, '"') : value;
  const renamed = names.get(unquoted);
  return renamed === undefined ? value : quoteIdentIfNeeded(renamed);
}

/** Reads the quoted identifier starting at `text[start]` (a `"`): its name with `""` undone, and the index of its closing quote (text.length if unclosed). */
function readQuotedIdent(text: string, start: number): { name: string; end: number } {
  let j = start + 1;
  let name = '';
  while (j < text.length) {
    if (text[j] === '"') {
      if (text[j + 1] !== '"') break;
      name += '"';
      j += 2;
      continue;
    }
    name += text[j];
    j++;
  }
  return { name, end: j };
}

/**
 * Splits a possibly qualified identifier as PostgreSQL prints it (`a.t`, `"A"."t t"`) into
 * its parts, and returns where it ends in `text` starting at `start`.
 */
export function readQualifiedName(text: string, start: number): { parts: string[]; end: number } | null {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    if (text[i] === '"') {
      const { name, end: j } = readQuotedIdent(text, i);
      if (j >= text.length) return null;
      parts.push(name);
      i = j + 1;
    } else {
      const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i));
      if (!match) return null;
      parts.push(match[0]);
      i += match[0].length;
    }
    if (text[i] === '.') {
      i++;
      continue;
    }
    return { parts, end: i };
  }
}

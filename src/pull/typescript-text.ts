/** TypeScript literals for the model source `pull` writes: strings, `sql` templates, names. */
import { OWN_SCHEMA_ID, fillOwnSchema, mentionsOwnSchema } from '../schema/own-schema';

/** A single-quoted TypeScript string: `it's` -> `'it\'s'`. */
export function jsString(value: string): string {
  let out = "'";
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\u2028' || ch === '\u2029') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/**
 * SQL text as a `sql` template of the model DSL. Mentions of the own schema (the snapshot's
 * sentinels) become `${s.id}` and `${s.literal}`, which makes the template a function of the
 * schema: `(s) => sql`...``. The template's cooked text is exactly `text`.
 *
 * @example
 * ```ts
 * sqlTemplate(`select 1 from ${OWN_SCHEMA_ID}.t`) // '(s) => sql`select 1 from ${s.id}.t`'
 * ```
 */
export function sqlTemplate(text: string): string {
  const escape = (part: string) => part.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
  if (!mentionsOwnSchema(text)) return 'sql`' + escape(text) + '`';
  const forms = { id: '${s.id}', literal: '${s.literal}' };
  let out = '';
  let last = 0;
  // `"s"."name"` is what s('name') writes: say it that way
  for (const m of text.matchAll(QUALIFIED)) {
    out += fillOwnSchema(escape(text.slice(last, m.index)), forms) + '${s(' + jsString(m[1]!.replace(/""/g, '"')) + ')}';
    last = m.index + m[0].length;
  }
  return '(s) => sql`' + out + fillOwnSchema(escape(text.slice(last)), forms) + '`';
}

const QUALIFIED = new RegExp(`${OWN_SCHEMA_ID.replaceAll('\u0000', '\\u0000')}\\."((?:[^"]|"")*)"`, 'g');

/** `(a > 0)` -> `a > 0`: the parentheses PostgreSQL puts around a whole expression, which the DSL adds back. */
export function unwrap(expression: string): string {
  if (!expression.startsWith('(') || !expression.endsWith(')')) return expression;
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i]!;
    if (ch === "'" || ch === '"') {
      const end = expression.indexOf(ch, i + 1);
      if (end < 0) return expression;
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < expression.length - 1) return expression;
  }
  return expression.slice(1, -1);
}

const RESERVED = new Set(
  (
    'abstract any arguments as async await boolean break byte case catch char class const constructor continue debugger declare ' +
    'default delete do double else enum eval export extends false final finally float for from function get goto if implements ' +
    'import in instanceof int interface is keyof let long module namespace native never new null number object of package private ' +
    'protected public readonly require return set short static string super switch symbol synchronized this throw throws transient ' +
    'true try type typeof undefined unique unknown var void volatile while with yield model Db'
  ).split(' '),
);

/** Whether `name` can be written as a bare property key. */
export function isIdentifierName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}

/** A property key: `name` or `'strange name'`. */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : jsString(name);
}

/**
 * Picks TypeScript const names for database objects: camelCase of the name, with `suffix` (the
 * kind) when the plain name is taken, reserved or an import, then a number.
 */
export class ConstNames {
  private readonly used = new Set<string>();

  constructor(taken: Iterable<string>) {
    for (const t of taken) this.used.add(t);
  }

  take(name: string, suffix: string): string {
    const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
    let base = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
    if (base === '' || /^[0-9]/.test(base)) base = `${suffix.toLowerCase()}${base.charAt(0).toUpperCase()}${base.slice(1)}`;
    const candidates = [base, `${base}${suffix}`];
    for (const c of candidates) if (this.free(c)) return this.claim(c);
    for (let i = 2; ; i++) if (this.free(`${base}${suffix}${i}`)) return this.claim(`${base}${suffix}${i}`);
  }

  private free(name: string): boolean {
    return !this.used.has(name) && !RESERVED.has(name);
  }

  private claim(name: string): string {
    this.used.add(name);
    return name;
  }
}

/**
 * The inverse of the catalog's `canonicalArrayCasts`: `ARRAY[('a'::character varying)::text, ...]`
 * becomes `ARRAY['a'::character varying, ...]`, which PostgreSQL coerces implicitly and prints as
 * `(ARRAY['a'::character varying, ...])::text[]`, the form a `col IN ('a', ...)` check has. (A
 * check written in the cast form reads the same in a snapshot; only its pg_dump text differs.)
 */
export function implicitArrayCasts(expression: string): string {
  return expression.replace(/ARRAY\[((?:\('(?:[^']|'')*'::[a-z ]+(?:\(\d+(?:,\d+)?\))?\)::[a-z ]+(?:, )?)+)\]/g, (_m, items: string) => {
    const elements = items.match(/\('(?:[^']|'')*'::[a-z ]+(?:\(\d+(?:,\d+)?\))?\)/g) ?? [];
    return `ARRAY[${elements.map((e) => e.slice(1, -1)).join(', ')}]`;
  });
}

/**
 * How PostgreSQL converts a column's values in `ALTER COLUMN ... TYPE`: without `USING`, only
 * through an implicit or assignment cast. This is PostgreSQL 15's own cast table (pg_cast,
 * contexts `i` and `a`, for the built-in types), plus its rule that every type converts to a
 * string type by assignment and every string converts to any type only explicitly.
 */

/** Implicit and assignment casts of pg_cast, by source type (modifiers stripped). */
const assignment: Record<string, readonly string[]> = {
  bigint: ['integer', 'money', 'smallint', 'double precision', 'numeric', 'real'],
  'bit varying': ['bit'],
  bit: ['bit varying'],
  box: ['polygon'],
  'character varying': ['character', 'text'],
  character: ['character varying', 'text'],
  cidr: ['inet'],
  date: ['timestamp with time zone', 'timestamp without time zone'],
  'double precision': ['bigint', 'integer', 'numeric', 'real', 'smallint'],
  inet: ['cidr'],
  integer: ['money', 'smallint', 'bigint', 'double precision', 'numeric', 'real'],
  interval: ['time without time zone'],
  json: ['jsonb'],
  jsonb: ['json'],
  macaddr8: ['macaddr'],
  macaddr: ['macaddr8'],
  money: ['numeric'],
  numeric: ['bigint', 'integer', 'money', 'smallint', 'double precision', 'real'],
  path: ['polygon'],
  point: ['box'],
  polygon: ['path'],
  real: ['bigint', 'integer', 'numeric', 'smallint', 'double precision'],
  smallint: ['bigint', 'double precision', 'integer', 'numeric', 'real'],
  text: ['character', 'character varying'],
  'time with time zone': ['time without time zone'],
  'time without time zone': ['interval', 'time with time zone'],
  'timestamp with time zone': ['date', 'time with time zone', 'time without time zone', 'timestamp without time zone'],
  'timestamp without time zone': ['date', 'time without time zone', 'timestamp with time zone'],
};

/** Explicit casts of pg_cast (context `e`), by source type. */
const explicit: Record<string, readonly string[]> = {
  bigint: ['bit'],
  bit: ['bigint', 'integer'],
  boolean: ['integer'],
  box: ['circle', 'lseg', 'point'],
  circle: ['box', 'point', 'polygon'],
  integer: ['bit', 'boolean'],
  jsonb: ['bigint', 'boolean', 'double precision', 'integer', 'numeric', 'real', 'smallint'],
  lseg: ['point'],
  polygon: ['box', 'circle', 'point'],
};

const strings = new Set(['text', 'character varying', 'character']);

/** The built-in types this table knows; other types (enums, domains, extensions' types) are left to PostgreSQL. */
const known = new Set([
  ...Object.keys(assignment),
  ...Object.keys(explicit),
  ...Object.values(assignment).flat(),
  ...Object.values(explicit).flat(),
  'uuid',
  'bytea',
  'xml',
  'tsvector',
  'tsquery',
]);

/**
 * A `format_type` name without its modifiers: `character varying(10)` -> `character varying`,
 * `timestamp(3) with time zone` -> `timestamp with time zone`, `numeric(12,2)` -> `numeric`.
 */
export function baseTypeName(type: string): string {
  const plain = type.replace(/\(\d+(?:,\s*\d+)?\)/g, '');
  return /^interval\b/.test(plain) ? 'interval' : plain;
}

/** How `ALTER COLUMN ... TYPE` can convert values of one type to another. */
export type Conversion =
  /** Without `USING`: same type, or an implicit or assignment cast. */
  | 'assignment'
  /** `USING col::type`: an explicit cast, or a string parsed as the new type. */
  | 'explicit'
  /** No cast at all: `USING col::text::type`, which only converts values whose text the new type accepts. */
  | 'via text'
  /** Between types this table does not know (enums, domains, extensions' types): left to PostgreSQL. */
  | 'unknown';

/**
 * Decides from the two `format_type` names how a column converts.
 *
 * @example
 * ```ts
 * conversion('integer', 'bigint') // 'assignment'
 * conversion('text', 'integer') // 'explicit'
 * conversion('bigint', 'timestamp without time zone') // 'via text'
 * ```
 */
export function conversion(from: string, to: string): Conversion {
  const fromArray = from.endsWith('[]');
  const toArray = to.endsWith('[]');
  if (fromArray !== toArray) {
    // an array is written as text and parsed back
    if (strings.has(baseTypeName(to))) return 'assignment';
    return strings.has(baseTypeName(from)) ? 'explicit' : 'via text';
  }
  const a = baseTypeName(fromArray ? from.slice(0, -2) : from);
  const b = baseTypeName(toArray ? to.slice(0, -2) : to);
  if (a === b || strings.has(b)) return 'assignment';
  // a string is parsed as any type (USING is harmless where an assignment cast exists too)
  if (strings.has(a)) return 'explicit';
  if (!known.has(a) || !known.has(b)) return 'unknown';
  if (assignment[a]?.includes(b)) return 'assignment';
  if (explicit[a]?.includes(b)) return 'explicit';
  return 'via text';
}

/**
 * Why a type change needs `USING` (the text of the operation's REVIEW note), or null when
 * PostgreSQL converts the values by itself.
 */
export function conversionNote(table: string, column: string, from: string, to: string): string | null {
  const how = conversion(from, to);
  // a string into a type this table does not know (citext, a domain): USING is only a precaution
  if (!known.has(baseTypeName(to.replace(/\[\]$/, '')))) return null;
  if (how === 'explicit') {
    return `"${table}"."${column}" changes from ${from} to ${to}, which PostgreSQL does not convert by itself: USING "${column}"::${to} converts each value; check that every value converts, or write the conversion`;
  }
  if (how === 'via text') {
    return `"${table}"."${column}" changes from ${from} to ${to}, which have no cast: USING "${column}"::text::${to} only converts values whose text is a valid ${to}; write the conversion (e.g. a function of the old value)`;
  }
  return null;
}

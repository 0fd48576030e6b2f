/**
 * PostgreSQL types (as format_type prints them) as the model DSL's column builders, with the
 * TypeScript type node-postgres returns for them.
 */
import { jsString } from './typescript-text';

/** A builder call and the DSL names it uses: `{ code: 'varchar(20)', uses: ['varchar'] }`. */
export interface BuilderCode {
  readonly code: string;
  readonly uses: readonly string[];
}

const SIMPLE: Record<string, string> = {
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  real: 'real',
  'double precision': 'doublePrecision',
  text: 'text',
  'character varying': 'varchar',
  boolean: 'boolean',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  interval: 'interval',
  uuid: 'uuid',
  bytea: 'bytea',
  json: 'json',
  jsonb: 'jsonb',
  numeric: 'numeric',
};

/** TypeScript types of types the DSL has no builder for (node-postgres parses these; the rest are text). */
const TS_TYPES: Record<string, string> = {
  oid: 'number',
  money: 'string',
  inet: 'string',
  cidr: 'string',
  macaddr: 'string',
  macaddr8: 'string',
  xml: 'string',
  tsvector: 'string',
  tsquery: 'string',
  citext: 'string',
  hstore: 'string',
  ltree: 'string',
  '"char"': 'string',
  name: 'string',
  bit: 'string',
  'bit varying': 'string',
  character: 'string',
  point: '{ x: number; y: number }',
  int4range: 'string',
  int8range: 'string',
  numrange: 'string',
  tsrange: 'string',
  tstzrange: 'string',
  daterange: 'string',
};

/** The TypeScript type of a value of `type`, for `column<T>(...)` and `domain<T>(...)`. */
export function typeScriptType(type: string): string {
  const array = /^(.*?)((?:\[\])+)$/.exec(type);
  if (array) {
    const element = typeScriptType(array[1]!);
    return /^[\w.]+$/.test(element) ? `${element}[]` : `(${element})[]`;
  }
  const bare = type.replace(/\(.*\)/, '').replace(/^.*\./, '');
  const simple = SIMPLE[bare];
  if (simple !== undefined) {
    if (['smallint', 'integer', 'real', 'doublePrecision'].includes(simple)) return 'number';
    if (['date', 'timestamp', 'timestamptz'].includes(simple)) return 'Date';
    if (simple === 'boolean') return 'boolean';
    if (simple === 'bytea') return 'Buffer';
    if (simple === 'interval') return 'PgInterval';
    if (simple === 'json' || simple === 'jsonb') return 'unknown';
    return 'string';
  }
  return TS_TYPES[bare] ?? TS_TYPES[type] ?? 'unknown';
}

/** `character varying(20)` -> `varchar(20)`; `public.geometry(Point,4326)` -> `column<unknown>('public.geometry(Point,4326)')`. */
export function columnBuilder(type: string): BuilderCode {
  const array = /^(.*?)\[\]$/.exec(type);
  if (array) {
    const element = columnBuilder(array[1]!);
    return { code: `${element.code}.array()`, uses: element.uses };
  }
  const simple = SIMPLE[type];
  if (simple !== undefined) return { code: `${simple}()`, uses: [simple] };
  const withModifier = /^(character varying|numeric|character)\((\d+)(?:,(\d+))?\)$/.exec(type);
  if (withModifier) {
    const [, base, a, b] = withModifier;
    if (base === 'character varying') return { code: `varchar(${a})`, uses: ['varchar'] };
    if (base === 'character') return { code: `char(${a})`, uses: ['char'] };
    return { code: `numeric(${a}${b === undefined ? '' : `, ${b}`})`, uses: ['numeric'] };
  }
  const time = /^(timestamp|time)\((\d+)\) with(out)? time zone$/.exec(type);
  if (time) {
    const name = time[1] === 'timestamp' ? (time[3] ? 'timestamp' : 'timestamptz') : time[3] ? 'time' : 'timetz';
    return { code: `${name}(${time[2]})`, uses: [name] };
  }
  const ts = typeScriptType(type);
  const uses = ts === 'PgInterval' ? ['column', 'type PgInterval'] : ['column'];
  return { code: `column<${ts}>(${jsString(type)})`, uses };
}

/**
 * The SQL texts a model's snapshot carries (types, constraint, index and routine definitions),
 * built from the DSL's nodes. They are for building, not comparing: PostgreSQL prints them back
 * in its own form. The model's own schema appears only as the sentinels of `own-schema.ts`.
 */
import { OWN_SCHEMA_ID } from '../schema/own-schema';
import type { SequenceOptions } from '../schema/snapshot';
import { quoteIdent, quoteLiteral } from '../schema/sql-text';
import { assertNever } from '../errors';
import type { CollationRef, ColumnDataType, IdentityOptions, SequenceNumber } from './column';
import { expressionText } from './compile-sql';
import { isAtomicBody, isLibrarySymbol, type FunctionNode, type TypeExpression } from './function-def';
import type { IndexElementOptions, IndexNode } from './index-def';
import type { SqlExpression } from './schema-scope';
import { modelMistake } from './sql-text-check';
import type { ExclusionNode, ForeignKeyNode, PrimaryKeyNode, UniqueNode } from './table-constraints';

/** An object of the model's own schema: `<own>."name"`. */
export function ownName(name: string): string {
  return `${OWN_SCHEMA_ID}.${quoteIdent(name)}`;
}

/** A possibly qualified name: `"other"."t"`, or own-schema when `schema` is undefined. */
export function refName(schema: string | undefined, name: string): string {
  return schema === undefined ? ownName(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function columnTypeText(type: ColumnDataType): string {
  switch (type.kind) {
    case 'sql':
      return type.sql;
    case 'serial':
      return type.type;
    case 'enum':
    case 'domain':
      return ownName(type.name) + (type.array ? '[]' : '');
    default:
      return assertNever(type, 'column type');
  }
}

export function collationText(collation: CollationRef): string {
  return typeof collation === 'string' ? quoteIdent(collation) : `${quoteIdent(collation.schema)}.${quoteIdent(collation.name)}`;
}

export function typeText(type: TypeExpression, what: string): string {
  return typeof type === 'string' ? type : expressionText(type, what);
}

const TYPE_LIMITS = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
} as const;

function numberText(value: SequenceNumber | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^-?\d+$/.test(text)) modelMistake(`${what} is ${JSON.stringify(text)}, not a whole number.`);
  return text;
}

/** Sequence options with PostgreSQL's defaults filled in for the data type and direction. */
export function sequenceOptions(dataType: string, options: Omit<IdentityOptions, 'sequenceName'>, what: string): SequenceOptions {
  const limits = TYPE_LIMITS[dataType as keyof typeof TYPE_LIMITS] ?? TYPE_LIMITS.bigint;
  const increment = numberText(options.increment, `The increment of ${what}`) ?? '1';
  const ascending = !increment.startsWith('-');
  const minValue = numberText(options.minValue, `The minimum of ${what}`) ?? (ascending ? '1' : limits[0]);
  const maxValue = numberText(options.maxValue, `The maximum of ${what}`) ?? (ascending ? limits[1] : '-1');
  return {
    dataType,
    start: numberText(options.start, `The start of ${what}`) ?? (ascending ? minValue : maxValue),
    increment,
    minValue,
    maxValue,
    cache: numberText(options.cache, `The cache of ${what}`) ?? '1',
    cycle: options.cycle ?? false,
  };
}

const ids = (names: readonly string[]) => names.map(quoteIdent).join(', ');

function deferrableText(c: { deferrable?: boolean; initiallyDeferred?: boolean }): string {
  if (c.initiallyDeferred) return ' DEFERRABLE INITIALLY DEFERRED';
  return c.deferrable ? ' DEFERRABLE' : '';
}

function includeText(include: readonly string[] | undefined): string {
  return include && include.length > 0 ? ` INCLUDE (${ids(include)})` : '';
}

export function primaryKeyText(pk: PrimaryKeyNode): string {
  return `PRIMARY KEY (${ids(pk.columns)})${includeText(pk.include)}${deferrableText(pk)}`;
}

export function uniqueText(u: UniqueNode): string {
  return `UNIQUE ${u.nullsNotDistinct ? 'NULLS NOT DISTINCT ' : ''}(${ids(u.columns)})${includeText(u.include)}${deferrableText(u)}`;
}

export function foreignKeyText(fk: ForeignKeyNode): string {
  let out = `FOREIGN KEY (${ids(fk.columns)}) REFERENCES ${refName(fk.references.schema, fk.references.table)}(${ids(fk.references.columns)})`;
  if (fk.match === 'full') out += ' MATCH FULL';
  if (fk.onUpdate !== 'no action') out += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  if (fk.onDelete !== 'no action') out += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onDeleteColumns && fk.onDeleteColumns.length > 0) out += ` (${ids(fk.onDeleteColumns)})`;
  out += deferrableText(fk);
  return fk.notValid ? out + ' NOT VALID' : out;
}

export function checkText(expression: SqlExpression, options: { noInherit?: boolean; notValid?: boolean }, what: string): string {
  return `CHECK (${expressionText(expression, what)})${options.noInherit ? ' NO INHERIT' : ''}${options.notValid ? ' NOT VALID' : ''}`;
}

function elementText(element: IndexElementOptions & ({ column: string } | { expression: SqlExpression }), what: string): string {
  let out = 'column' in element ? quoteIdent(element.column) : `(${expressionText(element.expression, what)})`;
  if (element.collate !== undefined) out += ` COLLATE ${collationText(element.collate)}`;
  if (element.opclass !== undefined) out += ` ${element.opclass}`;
  if (element.order === 'desc') out += ' DESC';
  if (element.nulls !== undefined) out += ` NULLS ${element.nulls.toUpperCase()}`;
  return out;
}

export function exclusionText(x: ExclusionNode): string {
  const what = `exclusion constraint ${x.name}`;
  const elements = x.elements.map((e) => `${elementText(e, what)} WITH ${e.with}`).join(', ');
  const where = x.where === undefined ? '' : ` WHERE (${expressionText(x.where, what)})`;
  return `EXCLUDE USING ${x.using ?? 'gist'} (${elements})${includeText(x.include)}${where}${deferrableText(x)}`;
}

/** What follows `USING` in CREATE INDEX: `btree (a, (lower(b))) INCLUDE (c) WHERE (...)`. */
export function indexDefinitionText(index: IndexNode): string {
  const what = `index ${index.name}`;
  let out = `${index.using ?? 'btree'} (${index.elements.map((e) => elementText(e, what)).join(', ')})${includeText(index.include)}`;
  if (index.nullsNotDistinct) out += ' NULLS NOT DISTINCT';
  if (index.with && index.with.length > 0) out += ` WITH (${index.with.join(', ')})`;
  if (index.where !== undefined) out += ` WHERE (${expressionText(index.where, what)})`;
  return out;
}

/** A dollar-quote tag that does not occur in `text`. */
function dollarTag(text: string): string {
  for (let i = 0; ; i++) {
    const tag = i === 0 ? '$body$' : `$body${i}$`;
    if (!text.includes(tag)) return tag;
  }
}

/** The texts of a routine that PostgreSQL reports apart: arguments, identity, input types, result. */
export function routineSignature(fn: FunctionNode): { arguments: string; identityArguments: string; argumentTypes: string; result: string | null } {
  const what = `${fn.kind} ${fn.name}`;
  const parts = fn.args.map((a) => {
    const mode = a.mode && a.mode !== 'in' ? `${a.mode.toUpperCase()} ` : fn.kind === 'procedure' ? 'IN ' : '';
    const head = `${mode}${a.name !== undefined ? quoteIdent(a.name) + ' ' : ''}${typeText(a.type, what)}`;
    return {
      head,
      full: a.default === undefined ? head : `${head} DEFAULT ${expressionText(a.default, what)}`,
      input: a.mode !== 'out',
      type: typeText(a.type, what),
    };
  });
  return {
    arguments: parts.map((p) => p.full).join(', '),
    identityArguments: parts.map((p) => p.head).join(', '),
    argumentTypes: parts
      .filter((p) => p.input)
      .map((p) => p.type)
      .join(', '),
    result: fn.kind === 'procedure' ? null : typeText(fn.returns ?? 'void', what),
  };
}

/**
 * What follows the routine's name in `CREATE OR REPLACE FUNCTION`, in pg_get_functiondef's
 * layout: `(args)\n RETURNS t\n LANGUAGE l\n STABLE STRICT\n SET x TO 'y'\nAS $body$...$body$\n`.
 */
export function routineDefinitionText(fn: FunctionNode): string {
  const what = `${fn.kind} ${fn.name}`;
  const signature = routineSignature(fn);
  let out = `(${signature.arguments})\n`;
  if (signature.result !== null) out += ` RETURNS ${signature.result}\n`;
  out += ` LANGUAGE ${fn.language}\n`;
  const options: string[] = [];
  if (fn.window) options.push('WINDOW');
  if (fn.volatility !== 'volatile') options.push(fn.volatility.toUpperCase());
  if (fn.parallel && fn.parallel !== 'unsafe') options.push(`PARALLEL ${fn.parallel.toUpperCase()}`);
  if (fn.strict) options.push('STRICT');
  if (fn.securityDefiner) options.push('SECURITY DEFINER');
  if (fn.leakproof) options.push('LEAKPROOF');
  if (fn.cost !== undefined) options.push(`COST ${fn.cost}`);
  if (fn.rows !== undefined) options.push(`ROWS ${fn.rows}`);
  if (options.length > 0) out += ` ${options.join(' ')}\n`;
  for (const [name, value] of Object.entries(fn.set ?? {})) {
    out += ` SET ${name} TO ${typeof value === 'string' ? quoteLiteral(value) : expressionText(value, what)}\n`;
  }
  const body = fn.body;
  if (isLibrarySymbol(body)) return `${out}AS ${quoteLiteral(body.file)}, ${quoteLiteral(body.symbol)}\n`;
  if (isAtomicBody(body)) return `${out}${expressionText(body.atomic, what)}\n`;
  const source = expressionText(body, what);
  const tag = dollarTag(source);
  return `${out}AS ${tag}${source}${tag}\n`;
}

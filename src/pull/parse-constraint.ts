/**
 * Reads constraint and index definitions as PostgreSQL prints them into the parts the model's DSL
 * takes. Each reader prints its result back in PostgreSQL's form and gives up (returns
 * `undefined`) unless that equals the original, so a pulled model never says something else than
 * the catalog: what it cannot read faithfully stays SQL (`.constraint(name, sql`...`)`).
 */
import { assertNever } from '../errors';
import { quoteIdentIfNeeded } from '../schema/sql-text';
import { SqlReader, UnexpectedSql, splitTopLevel } from './sql-reader';

const qi = quoteIdentIfNeeded;
const ids = (names: readonly string[]) => names.map(qi).join(', ');

export interface Deferrability {
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export type ParsedConstraint =
  | ({ readonly kind: 'primary key'; readonly columns: string[]; readonly include: string[] } & Deferrability)
  | ({ readonly kind: 'unique'; readonly columns: string[]; readonly include: string[]; readonly nullsNotDistinct: boolean } & Deferrability)
  | ({
      readonly kind: 'foreign key';
      readonly columns: string[];
      readonly references: { readonly schema?: string; readonly table: string; readonly columns: string[] };
      readonly match: 'simple' | 'full';
      readonly onUpdate: string;
      readonly onDelete: string;
      readonly onDeleteColumns: string[];
      readonly notValid: boolean;
    } & Deferrability)
  | { readonly kind: 'check'; readonly expression: string; readonly noInherit: boolean; readonly notValid: boolean }
  | ({
      readonly kind: 'exclude';
      readonly using: string;
      readonly elements: (ParsedElement & { readonly with: string })[];
      readonly include: string[];
      readonly where: string | null;
    } & Deferrability);

/** One element of an index or exclusion constraint. */
export interface ParsedElement {
  /** A column, or an expression as printed (`lower(name)`; a parenthesised one without its parentheses). */
  readonly column?: string;
  readonly expression?: string;
  /** The expression was printed in parentheses. */
  readonly parenthesised?: boolean;
  readonly collate?: string[];
  readonly opclass?: string;
  readonly order?: 'desc';
  readonly nulls?: 'first' | 'last';
}

export interface ParsedIndex {
  readonly using: string;
  readonly elements: ParsedElement[];
  readonly include: string[];
  readonly nullsNotDistinct: boolean;
  readonly with: string[];
  readonly where: string | null;
}

const ACTIONS = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];

function deferrability(r: SqlReader): Deferrability {
  const deferrable = r.take(' DEFERRABLE');
  const initiallyDeferred = r.take(' INITIALLY DEFERRED');
  return { deferrable, initiallyDeferred };
}

function deferrableText(d: Deferrability): string {
  return `${d.deferrable ? ' DEFERRABLE' : ''}${d.initiallyDeferred ? ' INITIALLY DEFERRED' : ''}`;
}

function includeList(r: SqlReader): string[] {
  return r.take(' INCLUDE ') ? r.nameList() : [];
}

function includeText(include: readonly string[]): string {
  return include.length > 0 ? ` INCLUDE (${ids(include)})` : '';
}

function action(r: SqlReader, keyword: string): string {
  if (!r.take(keyword)) return 'NO ACTION';
  const found = ACTIONS.find((a) => r.take(a));
  if (!found) throw new UnexpectedSql(`unknown referential action at ${r.rest}`);
  return found;
}

function nameText(parts: readonly string[]): string {
  return parts.map(qi).join('.');
}

/** Reads one index element: `lower((a)::text) text_pattern_ops DESC NULLS LAST`. */
function element(text: string): ParsedElement {
  const r = new SqlReader(text);
  let head: Pick<ParsedElement, 'column' | 'expression' | 'parenthesised'>;
  if (text.startsWith('(')) head = { expression: r.group(), parenthesised: true };
  else {
    const parts = r.name();
    if (text[r.pos] === '(') {
      const start = 0;
      r.group();
      head = { expression: text.slice(start, r.pos) };
    } else if (parts.length === 1) head = { column: parts[0]! };
    else throw new UnexpectedSql('qualified column');
  }
  let collate: string[] | undefined;
  let opclass: string | undefined;
  if (r.take(' COLLATE ')) collate = r.name();
  if (!r.done && !r.rest.startsWith(' DESC') && !r.rest.startsWith(' NULLS ') && r.take(' ')) {
    const start = r.pos;
    r.name();
    if (r.text[r.pos] === '(') r.group();
    opclass = text.slice(start, r.pos);
  }
  const order = r.take(' DESC') ? ('desc' as const) : undefined;
  const nulls = r.take(' NULLS FIRST') ? ('first' as const) : r.take(' NULLS LAST') ? ('last' as const) : undefined;
  if (!r.done) throw new UnexpectedSql(`unexpected ${JSON.stringify(r.rest)} in an index element`);
  return { ...head, ...(collate ? { collate } : {}), ...(opclass ? { opclass } : {}), ...(order ? { order } : {}), ...(nulls ? { nulls } : {}) };
}

export function elementText(e: ParsedElement): string {
  let out = e.column !== undefined ? qi(e.column) : e.parenthesised ? `(${e.expression})` : e.expression!;
  if (e.collate) out += ` COLLATE ${nameText(e.collate)}`;
  if (e.opclass) out += ` ${e.opclass}`;
  if (e.order) out += ' DESC';
  if (e.nulls) out += ` NULLS ${e.nulls.toUpperCase()}`;
  return out;
}

function read<T>(text: string, parse: (r: SqlReader) => T, print: (value: T) => string): T | undefined {
  try {
    const r = new SqlReader(text);
    const value = parse(r);
    if (!r.done) return undefined;
    return print(value) === text ? value : undefined;
  } catch (error) {
    if (error instanceof UnexpectedSql) return undefined;
    throw error;
  }
}

function parseConstraint(r: SqlReader): ParsedConstraint {
  if (r.take('PRIMARY KEY ')) {
    const columns = r.nameList();
    return { kind: 'primary key', columns, include: includeList(r), ...deferrability(r) };
  }
  if (r.take('UNIQUE ')) {
    const nullsNotDistinct = r.take('NULLS NOT DISTINCT ');
    const columns = r.nameList();
    return { kind: 'unique', columns, nullsNotDistinct, include: includeList(r), ...deferrability(r) };
  }
  if (r.take('FOREIGN KEY ')) {
    const columns = r.nameList();
    r.expect(' REFERENCES ');
    const parts = r.name();
    const refColumns = r.nameList();
    const match = r.take(' MATCH FULL') ? ('full' as const) : ('simple' as const);
    const onUpdate = action(r, ' ON UPDATE ');
    const onDelete = action(r, ' ON DELETE ');
    const onDeleteColumns = r.rest.startsWith(' (') && r.take(' ') ? r.nameList() : [];
    const d = deferrability(r);
    const notValid = r.take(' NOT VALID');
    const table = parts[parts.length - 1]!;
    const references = parts.length === 2 ? { schema: parts[0]!, table, columns: refColumns } : { table, columns: refColumns };
    if (parts.length > 2) throw new UnexpectedSql('name with three parts');
    return { kind: 'foreign key', columns, references, match, onUpdate, onDelete, onDeleteColumns, notValid, ...d };
  }
  if (r.take('CHECK ')) {
    const expression = r.group();
    const noInherit = r.take(' NO INHERIT');
    return { kind: 'check', expression, noInherit, notValid: r.take(' NOT VALID') };
  }
  if (r.take('EXCLUDE USING ')) {
    const using = r.name();
    if (using.length !== 1) throw new UnexpectedSql('qualified access method');
    r.expect(' ');
    const elements = splitTopLevel(r.group()).map((text) => {
      const at = text.lastIndexOf(' WITH ');
      if (at < 0) throw new UnexpectedSql('exclusion element without WITH');
      return { ...element(text.slice(0, at)), with: text.slice(at + 6) };
    });
    const include = includeList(r);
    const where = r.take(' WHERE ') ? r.group() : null;
    return { kind: 'exclude', using: using[0]!, elements, include, where, ...deferrability(r) };
  }
  throw new UnexpectedSql('unknown constraint');
}

export function constraintText(c: ParsedConstraint): string {
  switch (c.kind) {
    case 'primary key':
      return `PRIMARY KEY (${ids(c.columns)})${includeText(c.include)}${deferrableText(c)}`;
    case 'unique':
      return `UNIQUE ${c.nullsNotDistinct ? 'NULLS NOT DISTINCT ' : ''}(${ids(c.columns)})${includeText(c.include)}${deferrableText(c)}`;
    case 'foreign key': {
      const ref = c.references.schema === undefined ? qi(c.references.table) : `${qi(c.references.schema)}.${qi(c.references.table)}`;
      let out = `FOREIGN KEY (${ids(c.columns)}) REFERENCES ${ref}(${ids(c.references.columns)})`;
      if (c.match === 'full') out += ' MATCH FULL';
      if (c.onUpdate !== 'NO ACTION') out += ` ON UPDATE ${c.onUpdate}`;
      if (c.onDelete !== 'NO ACTION') out += ` ON DELETE ${c.onDelete}`;
      if (c.onDeleteColumns.length > 0) out += ` (${ids(c.onDeleteColumns)})`;
      return `${out}${deferrableText(c)}${c.notValid ? ' NOT VALID' : ''}`;
    }
    case 'check':
      return `CHECK (${c.expression})${c.noInherit ? ' NO INHERIT' : ''}${c.notValid ? ' NOT VALID' : ''}`;
    case 'exclude': {
      const elements = c.elements.map((e) => `${elementText(e)} WITH ${e.with}`).join(', ');
      return `EXCLUDE USING ${c.using} (${elements})${includeText(c.include)}${c.where === null ? '' : ` WHERE (${c.where})`}${deferrableText(c)}`;
    }
    default:
      return assertNever(c, 'constraint');
  }
}

/** A constraint definition (pg_get_constraintdef) as DSL parts, or undefined when it must stay SQL. */
export function readConstraint(definition: string): ParsedConstraint | undefined {
  return read(definition, parseConstraint, constraintText);
}

function parseIndex(r: SqlReader): ParsedIndex {
  const using = r.name();
  if (using.length !== 1) throw new UnexpectedSql('qualified access method');
  r.expect(' ');
  const elements = splitTopLevel(r.group()).map(element);
  const include = includeList(r);
  const nullsNotDistinct = r.take(' NULLS NOT DISTINCT');
  const withOptions = r.take(' WITH ') ? splitTopLevel(r.group()) : [];
  const where = r.take(' WHERE ') ? r.rest : null;
  if (where !== null) r.pos = r.text.length;
  return { using: using[0]!, elements, include, nullsNotDistinct, with: withOptions, where };
}

export function indexText(i: ParsedIndex): string {
  let out = `${i.using} (${i.elements.map(elementText).join(', ')})${includeText(i.include)}`;
  if (i.nullsNotDistinct) out += ' NULLS NOT DISTINCT';
  if (i.with.length > 0) out += ` WITH (${i.with.join(', ')})`;
  return i.where === null ? out : `${out} WHERE ${i.where}`;
}

/** What follows `USING` in pg_get_indexdef, as DSL parts (undefined when it cannot be read faithfully). */
export function readIndex(definition: string): ParsedIndex | undefined {
  return read(definition, parseIndex, indexText);
}

export type PartitionKeyPart = { readonly column: string } | { readonly expression: string };

/** `RANGE (a, lower(b))` -> strategy and keys: column names, or expressions as printed. */
export function readPartitionKey(text: string): { strategy: 'range' | 'list' | 'hash'; keys: PartitionKeyPart[] } | undefined {
  const match = /^(RANGE|LIST|HASH) \((.*)\)$/s.exec(text);
  if (!match) return undefined;
  const keys: PartitionKeyPart[] = splitTopLevel(match[2]!).map((k) =>
    /^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")$/.test(k) ? { column: new SqlReader(k).name()[0]! } : { expression: k },
  );
  const printed = `${match[1]} (${keys.map((k) => ('column' in k ? qi(k.column) : k.expression)).join(', ')})`;
  if (printed !== text) return undefined;
  return { strategy: match[1]!.toLowerCase() as 'range' | 'list' | 'hash', keys };
}

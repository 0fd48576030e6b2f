/** One table of a snapshot as a `table(...)` declaration of the model DSL. */
import { assertNever } from '../errors';
import { defaultConstraintName } from '../model/table-constraints';
import { sequenceOptions } from '../model/snapshot-texts';
import { automaticNames, makeObjectName } from '../schema/generated-names';
import type { Column, Constraint, Index, Sequence, Table } from '../schema/snapshot';
import { quoteIdentIfNeeded, quoteLiteral } from '../schema/sql-text';
import { columnBuilder } from './column-types';
import { readConstraint, readIndex, readPartitionKey, type ParsedConstraint, type ParsedElement } from './parse-constraint';
import { arrayLiteral, objectLiteral, sequenceNumber, strings, unsupported, type SourceContext } from './source-context';
import { SqlReader } from './sql-reader';
import { implicitArrayCasts, jsString, propertyKey, sqlTemplate, unwrap } from './typescript-text';

const SERIALS = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial' } as const;

/** The sequence a column is the serial of: default `nextval('t_c_seq'::regclass)`, owned by it, all options default. */
export function serialSequence(table: Table, column: Column, sequences: readonly Sequence[]): Sequence | undefined {
  if (!(column.type in SERIALS) || !column.notNull || column.inherited || column.identity) return undefined;
  const name = makeObjectName(table.name, column.name, 'seq');
  const s = sequences.find((x) => x.name === name);
  if (!s || s.ownedBy?.table !== table.name || s.ownedBy.column !== column.name) return undefined;
  if (column.default !== `nextval(${quoteLiteral(quoteIdentIfNeeded(name))}::regclass)`) return undefined;
  const plain = sequenceOptions(column.type, {}, name);
  const same = (Object.keys(plain) as (keyof typeof plain)[]).every((k) => plain[k] === s[k]);
  return same && s.comment === null && s.owner === null && s.grants.granted.length === 0 && s.grants.revoked.length === 0 ? s : undefined;
}

/** A collation as the DSL names it: `'C'` or `{ schema, name }`. */
export function collationCode(text: string): string {
  const parts = new SqlReader(text).name();
  return parts.length === 1
    ? jsString(parts[0]!)
    : objectLiteral([
        ['schema', jsString(parts[0]!)],
        ['name', jsString(parts[1]!)],
      ]);
}

function deferrable(c: { deferrable: boolean; initiallyDeferred: boolean }): [string, string | undefined][] {
  return [
    ['deferrable', c.deferrable && !c.initiallyDeferred ? 'true' : undefined],
    ['initiallyDeferred', c.initiallyDeferred ? 'true' : undefined],
  ];
}

function elementEntries(e: ParsedElement): [string, string | undefined][] {
  return [
    e.column !== undefined ? ['column', jsString(e.column)] : ['expression', sqlTemplate(e.expression!)],
    [
      'collate',
      e.collate
        ? e.collate.length === 1
          ? jsString(e.collate[0]!)
          : objectLiteral([
              ['schema', jsString(e.collate[0]!)],
              ['name', jsString(e.collate[1]!)],
            ])
        : undefined,
    ],
    ['opclass', e.opclass === undefined ? undefined : jsString(e.opclass)],
    ['order', e.order ? jsString(e.order) : undefined],
    ['nulls', e.nulls ? jsString(e.nulls) : undefined],
  ];
}

/** An index element: a column's name alone, or `{ column | expression, opclass, order, ... }`. */
function elementCode(e: ParsedElement, indent: string): string {
  const entries = elementEntries(e);
  if (e.column !== undefined && entries.slice(1).every(([, v]) => v === undefined)) return jsString(e.column);
  return objectLiteral(entries, indent);
}

const ACTION = (a: string) => (a === 'NO ACTION' ? undefined : jsString(a.toLowerCase()));

function foreignKeyOptions(c: Constraint, p: Extract<ParsedConstraint, { kind: 'foreign key' }>, defaultName: string): [string, string | undefined][] {
  return [
    ['name', c.name === defaultName ? undefined : jsString(c.name)],
    ['onDelete', ACTION(p.onDelete)],
    ['onUpdate', ACTION(p.onUpdate)],
    ['onDeleteColumns', p.onDeleteColumns.length > 0 ? strings(p.onDeleteColumns) : undefined],
    ['match', p.match === 'full' ? "'full'" : undefined],
    ...deferrable(p),
    ['notValid', p.notValid ? 'true' : undefined],
    ['comment', c.comment === null ? undefined : jsString(c.comment)],
  ];
}

/**
 * Column-level constraints a person writes on the column itself: single-column, plainly named
 * ones on a column the declaration lists. The rest stay on the table.
 */
function columnConstraints(
  table: Table,
  parsed: ReadonlyMap<Constraint, ParsedConstraint | undefined>,
  listed: ReadonlySet<string>,
): { byColumn: Map<string, string[]>; claimed: Set<Constraint> } {
  const byColumn = new Map<string, string[]>();
  const claimed = new Set<Constraint>();
  const add = (column: string, code: string, c: Constraint) => {
    if (!listed.has(column)) return;
    byColumn.set(column, [...(byColumn.get(column) ?? []), code]);
    claimed.add(c);
  };
  for (const c of table.constraints) {
    const p = parsed.get(c);
    if (!p) continue;
    if (p.kind === 'primary key' && p.columns.length === 1 && p.include.length === 0 && !p.deferrable && !p.initiallyDeferred && c.comment === null) {
      add(p.columns[0]!, c.name === defaultConstraintName(table.name, null, 'pkey') ? '.primaryKey()' : `.primaryKey(${jsString(c.name)})`, c);
    } else if (
      p.kind === 'unique' &&
      p.columns.length === 1 &&
      p.include.length === 0 &&
      !p.nullsNotDistinct &&
      !p.deferrable &&
      !p.initiallyDeferred &&
      c.comment === null
    ) {
      add(p.columns[0]!, c.name === defaultConstraintName(table.name, p.columns, 'key') ? '.unique()' : `.unique(${jsString(c.name)})`, c);
    } else if (p.kind === 'foreign key' && p.columns.length === 1) {
      const target =
        p.references.schema === undefined
          ? jsString(p.references.table)
          : objectLiteral([
              ['schema', jsString(p.references.schema)],
              ['table', jsString(p.references.table)],
            ]);
      const options = objectLiteral(foreignKeyOptions(c, p, defaultConstraintName(table.name, p.columns, 'fkey')));
      add(p.columns[0]!, `.references(${target}, ${jsString(p.references.columns[0]!)}${options === '{}' ? '' : `, ${options}`})`, c);
    } else if (p.kind === 'check' && c.columns.length === 1 && c.name === defaultConstraintName(table.name, c.columns, 'check')) {
      const options = objectLiteral([
        ['noInherit', p.noInherit ? 'true' : undefined],
        ['notValid', p.notValid ? 'true' : undefined],
        ['comment', c.comment === null ? undefined : jsString(c.comment)],
      ]);
      add(c.columns[0]!, `.check(${sqlTemplate(implicitArrayCasts(unwrap(p.expression)))}${options === '{}' ? '' : `, ${options}`})`, c);
    }
  }
  return { byColumn, claimed };
}

function identityOptions(table: Table, column: Column): string {
  const id = column.identity!;
  const plain = sequenceOptions(column.type, { increment: id.increment }, id.sequenceName);
  const implied = sequenceOptions(column.type, { increment: id.increment, minValue: id.minValue, maxValue: id.maxValue }, id.sequenceName);
  const entries: [string, string | undefined][] = [
    ['sequenceName', id.sequenceName === makeObjectName(table.name, column.name, 'seq') ? undefined : jsString(id.sequenceName)],
    ['start', id.start === implied.start ? undefined : sequenceNumber(id.start)],
    ['increment', id.increment === '1' ? undefined : sequenceNumber(id.increment)],
    ['minValue', id.minValue === plain.minValue ? undefined : sequenceNumber(id.minValue)],
    ['maxValue', id.maxValue === plain.maxValue ? undefined : sequenceNumber(id.maxValue)],
    ['cache', id.cache === plain.cache ? undefined : sequenceNumber(id.cache)],
    ['cycle', id.cycle ? 'true' : undefined],
  ];
  const options = objectLiteral(entries);
  return options === '{}' ? '' : options;
}

/** The builder of a column of `type`: the model's enums and domains by their consts, other types by `columnBuilder`. */
export function typeCode(ctx: SourceContext, type: string): string {
  const array = type.endsWith('[]');
  const base = array ? type.slice(0, -2) : type;
  const own = ctx.enums.has(base)
    ? (['enumColumn', ctx.enums.get(base)!] as const)
    : ctx.domains.has(base)
      ? (['domainColumn', ctx.domains.get(base)!] as const)
      : undefined;
  if (own) {
    ctx.use(own[0]);
    return `${own[0]}(${own[1]})${array ? '.array()' : ''}`;
  }
  const builder = columnBuilder(type);
  ctx.use(...builder.uses);
  return builder.code;
}

function columnCode(ctx: SourceContext, table: Table, column: Column, constraints: readonly string[]): string {
  const serial = serialSequence(table, column, ctx.snapshot.sequences);
  let code: string;
  if (serial) {
    code = `${SERIALS[column.type as keyof typeof SERIALS]}()`;
    ctx.use(SERIALS[column.type as keyof typeof SERIALS]);
  } else code = typeCode(ctx, column.type);
  const primary = constraints.some((c) => c.startsWith('.primaryKey('));
  if (column.notNull && !serial && !column.identity && !primary) code += '.notNull()';
  if (column.default !== null && !serial) code += `.defaultTo(${sqlTemplate(column.default)})`;
  if (column.generated !== null) code += `.generatedAlwaysAs(${sqlTemplate(column.generated)})`;
  if (column.identity) code += `.generated${column.identity.generation === 'always' ? 'Always' : 'ByDefault'}AsIdentity(${identityOptions(table, column)})`;
  if (column.collation !== null) code += `.collate(${collationCode(column.collation)})`;
  code += constraints.join('');
  if (column.comment !== null) code += `.comment(${jsString(column.comment)})`;
  return code;
}

/** `, 'name', { ... }` after a key's columns: the name only when it is not PostgreSQL's default or options follow. */
function nameAndOptions(name: string, defaultName: string, options: string): string {
  if (options !== '{}') return `, ${jsString(name)}, ${options}`;
  return name === defaultName ? '' : `, ${jsString(name)}`;
}

function constraintCode(table: Table, c: Constraint, p: ParsedConstraint | undefined): string {
  const comment: [string, string | undefined] = ['comment', c.comment === null ? undefined : jsString(c.comment)];
  if (!p)
    return `.constraint(${jsString(c.name)}, ${sqlTemplate(implicitArrayCasts(c.definition))}${c.comment === null ? '' : `, ${objectLiteral([comment])}`})`;
  switch (p.kind) {
    case 'primary key': {
      const options = objectLiteral([['include', p.include.length > 0 ? strings(p.include) : undefined], ...deferrable(p), comment], '  ');
      return `.primaryKey(${strings(p.columns)}${nameAndOptions(c.name, defaultConstraintName(table.name, null, 'pkey'), options)})`;
    }
    case 'unique': {
      const options = objectLiteral(
        [
          ['include', p.include.length > 0 ? strings(p.include) : undefined],
          ['nullsNotDistinct', p.nullsNotDistinct ? 'true' : undefined],
          ...deferrable(p),
          comment,
        ],
        '  ',
      );
      return `.unique(${strings(p.columns)}${nameAndOptions(c.name, defaultConstraintName(table.name, p.columns, 'key'), options)})`;
    }
    case 'foreign key': {
      const target = objectLiteral([
        ['schema', p.references.schema === undefined ? undefined : jsString(p.references.schema)],
        ['table', jsString(p.references.table)],
        ['columns', strings(p.references.columns)],
      ]);
      const options = objectLiteral(foreignKeyOptions(c, p, defaultConstraintName(table.name, p.columns, 'fkey')), '  ');
      return `.foreignKey(${strings(p.columns)}, ${target}${options === '{}' ? '' : `, ${options}`})`;
    }
    case 'check': {
      const options = objectLiteral([['noInherit', p.noInherit ? 'true' : undefined], ['notValid', p.notValid ? 'true' : undefined], comment]);
      return `.check(${jsString(c.name)}, ${sqlTemplate(implicitArrayCasts(unwrap(p.expression)))}${options === '{}' ? '' : `, ${options}`})`;
    }
    case 'exclude': {
      const elements = arrayLiteral(
        p.elements.map((e) => objectLiteral([...elementEntries(e), ['with', jsString(e.with)]], '    ')),
        '  ',
      );
      const options = objectLiteral(
        [
          ['using', p.using === 'gist' ? undefined : jsString(p.using)],
          ['include', p.include.length > 0 ? strings(p.include) : undefined],
          ['where', p.where === null ? undefined : sqlTemplate(unwrap(p.where))],
          ...deferrable(p),
          comment,
        ],
        '  ',
      );
      return `.exclude(${jsString(c.name)}, ${elements}${options === '{}' ? '' : `, ${options}`})`;
    }
    default:
      return assertNever(p, 'constraint');
  }
}

/** `.index('name', [...], { ... })` for an index of a table or materialized view. */
export function indexCode(on: string, index: Index): string {
  const p = readIndex(index.definition);
  if (!p) unsupported(`Index ${index.name} of ${on}`, index.definition);
  const options = objectLiteral(
    [
      ['unique', index.unique ? 'true' : undefined],
      ['using', p.using === 'btree' ? undefined : jsString(p.using)],
      ['include', p.include.length > 0 ? strings(p.include) : undefined],
      ['nullsNotDistinct', p.nullsNotDistinct ? 'true' : undefined],
      ['with', p.with.length > 0 ? strings(p.with) : undefined],
      ['where', p.where === null ? undefined : sqlTemplate(unwrap(p.where))],
      ['only', index.only ? 'true' : undefined],
      ['comment', index.comment === null ? undefined : jsString(index.comment)],
    ],
    '  ',
  );
  const elements = arrayLiteral(
    p.elements.map((e) => elementCode(e, '    ')),
    '  ',
  );
  return `.index(${jsString(index.name)}, ${elements}${options === '{}' ? '' : `, ${options}`})`;
}

/**
 * The declaration of one table: `const x = table('x', { ... })` and its constraints, indexes and
 * options as a chain; a partition as `parent.partition('x', sql`FOR VALUES ...`)`.
 */
/**
 * A column a table has from its parent only (every column of a partition) is not declared: it
 * must be the parent's column as it is. One with a default, NOT NULL or comment of its own
 * cannot be said.
 */
function checkInheritedColumns(ctx: SourceContext, table: Table, declared: ReadonlySet<string>): void {
  const parents = [...(table.partitionOf ? [table.partitionOf.parent] : []), ...table.inherits].filter((p) => p.schema === null);
  for (const c of table.columns) {
    if (declared.has(c.name)) continue;
    const parent = parents.map((p) => ctx.snapshot.tables.find((t) => t.name === p.name)?.columns.find((x) => x.name === c.name)).find((x) => x !== undefined);
    if (!parent) continue;
    const same =
      c.type === parent.type &&
      c.default === parent.default &&
      c.notNull === parent.notNull &&
      c.generated === parent.generated &&
      c.collation === parent.collation;
    if (!same || c.comment !== null)
      unsupported(
        `Column ${table.name}.${c.name}, which differs from the parent's column it comes from,`,
        JSON.stringify({ default: c.default, notNull: c.notNull, comment: c.comment }),
      );
  }
}

/**
 * A partition's indexes and constraints for its parent's come with PARTITION OF; one with a
 * name of its own (not the one PostgreSQL gives it) cannot be said.
 */
function checkAttached(table: Table): void {
  for (const { item, auto } of automaticNames(table)) {
    if (item.name !== auto)
      unsupported(
        `The ${'kind' in item ? 'constraint' : 'index'} ${item.name} of partition ${table.name}, named otherwise than PostgreSQL names it (${auto}),`,
        item.definition,
      );
  }
}

export function tableSource(ctx: SourceContext, table: Table, constName: string): string {
  const parsed = new Map(table.constraints.map((c) => [c, readConstraint(c.definition)] as const));
  const listed = table.partitionOf ? [] : table.columns.filter((c) => !c.inherited || c.local);
  checkInheritedColumns(ctx, table, new Set(listed.map((c) => c.name)));
  const { byColumn, claimed } = columnConstraints(table, parsed, new Set(listed.map((c) => c.name)));
  let head: string;
  const chain: string[] = [];
  if (table.partitionOf) {
    if (table.partitionOf.parent.schema !== null)
      unsupported(`Table ${table.name}, a partition of a table of schema ${table.partitionOf.parent.schema},`, table.partitionOf.bound);
    head = `${ctx.tables.get(table.partitionOf.parent.name)}.partition(${jsString(table.name)}, ${sqlTemplate(table.partitionOf.bound)})`;
  } else {
    ctx.use('table');
    const columns = listed.map((c) => `  ${propertyKey(c.name)}: ${columnCode(ctx, table, c, byColumn.get(c.name) ?? [])},`);
    head = `table(${jsString(table.name)}, ${columns.length === 0 ? '{}' : `{\n${columns.join('\n')}\n}`})`;
    if (table.inherits.length > 0) {
      const parents = table.inherits.map((p) =>
        p.schema === null
          ? ctx.tables.get(p.name)!
          : objectLiteral([
              ['schema', jsString(p.schema)],
              ['table', jsString(p.name)],
            ]),
      );
      chain.push(`.inherits(${parents.join(', ')})`);
    }
  }
  checkAttached(table);
  for (const c of table.constraints) if (!claimed.has(c) && c.attachedTo === null) chain.push(constraintCode(table, c, parsed.get(c)));
  for (const i of table.indexes) if (i.attachedTo === null) chain.push(indexCode(table.name, i));
  if (table.partitionKey !== null) {
    const key = readPartitionKey(table.partitionKey);
    if (!key) unsupported(`The partition key of table ${table.name}`, table.partitionKey);
    chain.push(
      `.partitionBy(${jsString(key.strategy)}, ${arrayLiteral(key.keys.map((k) => ('column' in k ? jsString(k.column) : sqlTemplate(k.expression))))})`,
    );
  }
  if (table.persistence === 'unlogged') chain.push('.unlogged()');
  if (table.options.length > 0) chain.push(`.options(${strings(table.options)})`);
  if (table.rowSecurity || table.forceRowSecurity) {
    if (!table.rowSecurity) unsupported(`Table ${table.name} (FORCE ROW LEVEL SECURITY without ENABLE)`, '');
    chain.push(`.enableRowLevelSecurity(${table.forceRowSecurity ? '{ force: true }' : ''})`);
  }
  const owner = ctx.owner(table.owner);
  if (owner !== undefined) chain.push(`.owner(${jsString(owner)})`);
  if (table.comment !== null) chain.push(`.comment(${jsString(table.comment)})`);
  return `const ${constName} = ${head}${chain.map((c) => `\n  ${c}`).join('')};`;
}

/**
 * Operations as TypeScript for a revision's `upgrade(ctx)` and `downgrade(ctx)` bodies.
 * Every statement targets `ctx.schema`: Kysely's schema builders where Kysely has them,
 * ``ctx.sql`...${ctx.sql.id(ctx.schema, 'name')}...` `` where it does not. No schema name is
 * ever written literally; definitions read from the catalog rely on the runtime's
 * `search_path` (the target schema, then public).
 */
import type { Operation } from '../operations/operation';
import { isPrivilegedOperation } from '../operations/privileged';
import { reverseOperations } from '../operations/reverse-operation';
import type { Column, Constraint, Table } from '../schema/snapshot';
import { quoteIdentIfNeeded } from '../schema/sql-text';
import { makeObjectName } from '../schema/generated-names';
import { fillOwnSchema } from '../schema/own-schema';
import { conversion } from '../schema/type-casts';
import type { Fragment, Statement } from './fragments';
import { operationStatements } from './operation-statements';
import { createsRoutines, operationRemarks } from './render-sql';
import { createTableExtras, ownColumns, tableSuffix } from './table-statements';

export interface RevisionSource {
  /** Import lines the bodies need (none today: they only use `ctx`). */
  readonly imports: readonly string[];
  /** Body of `async function upgrade(ctx: MigrationContext)`, without the braces. */
  readonly upgrade: string;
  /** Body of `async function downgrade(ctx: MigrationContext)`, without the braces. */
  readonly downgrade: string;
}

export interface RenderRevisionOptions {
  /** Operations of the downgrade; default: {@link reverseOperations} of `ops`. */
  readonly downgrade?: readonly Operation[];
  /** Indentation of each line, default two spaces. */
  readonly indent?: string;
}

function jsString(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/`/g, '\\`').replace(/\n/g, '\\n') + "'";
}

/** Text inside a `ctx.sql` template: escaped, with the own-schema sentinels as `ctx` expressions. */
function templateText(value: string): string {
  return fillOwnSchema(value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${'), CTX_FORMS);
}

const CTX_FORMS = { id: '${ctx.sql.id(ctx.schema)}', literal: '${ctx.sql.lit(ctx.schema)}' };

/** Fragments as the inside of a `ctx.sql` template literal. */
function template(fragments: readonly Fragment[]): string {
  return fragments
    .map((f) => {
      if (f.kind === 'text') return templateText(f.text);
      if (f.kind === 'schema') return '${ctx.sql.id(ctx.schema)}';
      const parts = f.parts.map(jsString).join(', ');
      return f.qualified ? `\${ctx.sql.id(ctx.schema, ${parts})}` : `\${ctx.sql.id(${parts})}`;
    })
    .join('');
}

function sqlTag(text: string): string {
  return 'ctx.sql`' + templateText(text) + '`';
}

/** The Kysely instance the code runs on: `ctx.db`, or `db` inside `ctx.asSuperuser(async (db) => ...)`. */
type Db = 'ctx.db' | 'db';

function raw(statement: Statement, db: Db): string {
  return 'await ctx.sql`' + template(statement) + '`.execute(' + db + ');';
}

const schemaOf = (db: Db) => `${db}.schema.withSchema(ctx.schema)`;

function columnBuilder(table: string, c: Column): string {
  const type = sqlTag(c.collation !== null ? `${c.type} COLLATE ${c.collation}` : c.type);
  const mods: string[] = [];
  if (c.generated !== null) mods.push(`generatedAlwaysAs(${sqlTag(c.generated)})`, 'stored()');
  if (c.identity !== null) {
    const plain =
      c.identity.sequenceName === makeObjectName(table, c.name, 'seq') &&
      c.identity.increment === '1' &&
      c.identity.start === c.identity.minValue &&
      c.identity.cache === '1' &&
      !c.identity.cycle &&
      c.identity.minValue === '1';
    if (plain) mods.push(c.identity.generation === 'always' ? 'generatedAlwaysAsIdentity()' : 'generatedByDefaultAsIdentity()');
    else {
      const identity = operationStatements({ kind: 'addIdentity', table, column: c.name, identity: c.identity })[0]!;
      // the statement is "ALTER TABLE .. ALTER COLUMN .. ADD GENERATED ..."; keep the clause
      const clause = template(identity).replace(/^[\s\S]*? ADD GENERATED/, 'GENERATED');
      mods.push('modifyEnd(ctx.sql`' + clause + '`)');
    }
  }
  if (c.notNull) mods.push('notNull()');
  if (c.default !== null) mods.push(`defaultTo(${sqlTag(c.default)})`);
  const build = mods.length > 0 ? `, (col) => col.${mods.join('.')}` : '';
  return `.addColumn(${jsString(c.name)}, ${type}${build})`;
}

/** Constraints Kysely's table builder can write exactly as PostgreSQL prints them. */
function builderConstraint(c: Constraint): string | null {
  const list = c.columns.map(quoteIdentIfNeeded).join(', ');
  const names = '[' + c.columns.map(jsString).join(', ') + ']';
  if (c.kind === 'primary key' && c.definition === `PRIMARY KEY (${list})`) return `.addPrimaryKeyConstraint(${jsString(c.name)}, ${names})`;
  if (c.kind === 'unique' && c.definition === `UNIQUE (${list})`) return `.addUniqueConstraint(${jsString(c.name)}, ${names})`;
  if (c.kind === 'check' && /^CHECK \(.*\)$/s.test(c.definition) && !/\)\s+(NO INHERIT|NOT VALID)$/.test(c.definition)) {
    return `.addCheckConstraint(${jsString(c.name)}, ${sqlTag(c.definition.slice(7, -1))})`;
  }
  return null;
}

function createTableCode(table: Table, db: Db): string[] {
  const schema = schemaOf(db);
  if (table.partitionOf) return operationStatements({ kind: 'createTable', table }).map((s) => raw(s, db));
  const inlined: Constraint[] = [];
  const lines = [`await ${schema}`, `  .createTable(${jsString(table.name)})`];
  if (table.persistence === 'unlogged') lines.push('  .modifyFront(ctx.sql`unlogged`)');
  for (const c of ownColumns(table)) lines.push('  ' + columnBuilder(table.name, c));
  for (const c of table.constraints) {
    const code = builderConstraint(c);
    if (code === null) continue;
    inlined.push(c);
    lines.push('  ' + code);
  }
  const suffix = tableSuffix(table);
  if (suffix.length > 0) lines.push('  .modifyEnd(ctx.sql`' + template(suffix).trimStart() + '`)');
  lines.push('  .execute();');
  return [lines.join('\n'), ...createTableExtras(table, inlined).map((s) => raw(s, db))];
}

/** Kysely builder code for an operation, or null when raw SQL it is. */
function builderCode(op: Operation, db: Db): string[] | null {
  const schema = schemaOf(db);
  const rest = () =>
    operationStatements(op)
      .slice(1)
      .map((s) => raw(s, db));
  switch (op.kind) {
    case 'createTable':
      return createTableCode(op.table, db);
    case 'dropTable':
      return [`await ${schema}.dropTable(${jsString(op.table.name)}).execute();`];
    case 'renameTable':
      return [`await ${schema}.alterTable(${jsString(op.from)}).renameTo(${jsString(op.to)}).execute();`];
    case 'addColumn': {
      return [`await ${schema}.alterTable(${jsString(op.table)})${columnBuilder(op.table, op.column)}.execute();`, ...rest()];
    }
    case 'dropColumn':
      return [`await ${schema}.alterTable(${jsString(op.table)}).dropColumn(${jsString(op.column.name)}).execute();`];
    case 'renameColumn':
      return [`await ${schema}.alterTable(${jsString(op.table)}).renameColumn(${jsString(op.from)}, ${jsString(op.to)}).execute();`];
    case 'setColumnDefault': {
      const change = op.to === null ? 'col.dropDefault()' : `col.setDefault(${sqlTag(op.to)})`;
      return [`await ${schema}.alterTable(${jsString(op.table)}).alterColumn(${jsString(op.column)}, (col) => ${change}).execute();`];
    }
    case 'setColumnNotNull': {
      const change = op.to ? 'col.setNotNull()' : 'col.dropNotNull()';
      return [`await ${schema}.alterTable(${jsString(op.table)}).alterColumn(${jsString(op.column)}, (col) => ${change}).execute();`];
    }
    case 'alterColumnType':
      if (op.to.enumType || op.from.enumType || op.to.collation !== null || conversion(op.from.type, op.to.type) !== 'assignment') return null;
      return [
        `await ${schema}.alterTable(${jsString(op.table)}).alterColumn(${jsString(op.column)}, (col) => col.setDataType(${sqlTag(op.to.type)})).execute();`,
      ];
    case 'dropConstraint':
      return [`await ${schema}.alterTable(${jsString(op.table)}).dropConstraint(${jsString(op.constraint.name)}).execute();`];
    case 'renameConstraint':
      return [`await ${schema}.alterTable(${jsString(op.table)}).renameConstraint(${jsString(op.from)}, ${jsString(op.to)}).execute();`];
    case 'dropIndex':
      return [`await ${schema}.dropIndex(${jsString(op.index.name)}).execute();`];
    case 'createEnum': {
      return [`await ${schema}.createType(${jsString(op.enum.name)}).asEnum([${op.enum.labels.map(jsString).join(', ')}]).execute();`, ...rest()];
    }
    case 'dropEnum':
      return [`await ${schema}.dropType(${jsString(op.enum.name)}).execute();`];
    case 'createView': {
      if (op.view.materialized || op.view.options.length > 0) return null;
      const query = op.view.definition.replace(/;\s*$/, '');
      return [`await ${schema}.createView(${jsString(op.view.name)}).as(${sqlTag(query)}).execute();`, ...rest()];
    }
    case 'dropView':
      return [`await ${schema}.dropView(${jsString(op.view.name)})${op.view.materialized ? '.materialized()' : ''}.execute();`];
    default:
      return null;
  }
}

function operationCode(op: Operation, db: Db): string[] {
  const remarks = operationRemarks(op).map((r) => `// ${r.replace(/\n/g, ' ')}`);
  const code = builderCode(op, db) ?? operationStatements(op).map((s) => raw(s, db));
  return [...remarks, ...code];
}

function body(ops: readonly Operation[], indent: string): string {
  const blocks: string[] = [];
  if (createsRoutines(ops)) {
    blocks.push(
      '// routine bodies refer to tables that may be created later in this revision\nawait ctx.sql`set local check_function_bodies = off`.execute(ctx.db);',
    );
  }
  for (let i = 0; i < ops.length;) {
    if (!isPrivilegedOperation(ops[i]!)) {
      blocks.push(operationCode(ops[i]!, 'ctx.db').join('\n'));
      i++;
      continue;
    }
    // consecutive operations only a superuser may run share one SET ROLE ... RESET ROLE
    const inner: string[] = [];
    for (; i < ops.length && isPrivilegedOperation(ops[i]!); i++) inner.push(operationCode(ops[i]!, 'db').join('\n'));
    blocks.push(`await ctx.asSuperuser(async (db) => {\n${indentCode(inner.join('\n'), '  ')}\n});`);
  }
  if (blocks.length === 0) blocks.push('// nothing to do');
  return indentCode(blocks.join('\n'), indent);
}

/** Indents lines of code, but not the lines inside template literals (SQL text, routine bodies). */
function indentCode(code: string, indent: string): string {
  let inTemplate = false;
  return code
    .split('\n')
    .map((line) => {
      const out = !inTemplate && line.length > 0 ? indent + line : line;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '\\') i++;
        else if (line[i] === '`') inTemplate = !inTemplate;
      }
      return out;
    })
    .join('\n');
}

/**
 * Renders the bodies of a revision's `upgrade` and `downgrade` (the downgrade is the
 * operations reversed, unless given).
 *
 * @example
 * ```ts
 * const { upgrade } = renderRevisionSource([{ kind: 'renameTable', from: 'a', to: 'b' }]);
 * // await ctx.db.schema.withSchema(ctx.schema).alterTable('a').renameTo('b').execute();
 * ```
 */
export function renderRevisionSource(ops: readonly Operation[], options: RenderRevisionOptions = {}): RevisionSource {
  const indent = options.indent ?? '  ';
  const downgrade = options.downgrade ?? reverseOperations(ops);
  return { imports: [], upgrade: body(ops, indent), downgrade: body(downgrade, indent) };
}

import type { LintRuleId } from './rules';
import { findLiteralSchemas, leadingWords, readRelation, tableKey, type SchemaContext } from './sql-names';
import { closingParen, isIdent, isPunct, isWord, splitStatements, splitTopLevel, tokenize, type SqlToken } from './sql-tokens';
import { functionBodies, unqualifiedTables } from './function-body';

/** A problem in rendered SQL, before it is tied to a source line. */
export interface SqlIssue {
  readonly rule: LintRuleId;
  readonly message: string;
  /** Index of the statement in the list checked. */
  readonly statement: number;
  /** Offset in that statement's text. */
  readonly offset: number;
}

/**
 * What earlier statements established, carried across the revisions of one lint run so that a
 * CHECK (col IS NOT NULL) validated in an earlier revision lets a later SET NOT NULL pass.
 */
export interface SqlCheckState {
  /** `table/constraint` -> column, for CHECK (col IS NOT NULL) NOT VALID not yet validated. */
  readonly pendingChecks: Map<string, string>;
  /** `table.column` with a validated CHECK (col IS NOT NULL). */
  readonly notNullChecked: Set<string>;
}

export function newSqlCheckState(): SqlCheckState {
  return { pendingChecks: new Map(), notNullChecked: new Set() };
}

/**
 * Checks the statements one revision runs in one direction (as rendered with the placeholder
 * schema), in order. Tables created by an earlier statement of the same list are new, so building
 * indexes or constraints on them locks nothing that matters.
 *
 * @example
 * ```ts
 * checkStatements(['create index "i" on "p"."t" ("a")'], { placeholder: 'p', knownSchemas: [] })
 * // [{ rule: 'index-not-concurrent', statement: 0, offset: 0, message: 'CREATE INDEX "i" on existing table t ...' }]
 * ```
 */
export function checkStatements(statements: readonly string[], ctx: SchemaContext, state: SqlCheckState = newSqlCheckState()): SqlIssue[] {
  const issues: SqlIssue[] = [];
  const created = new Set<string>();
  statements.forEach((text, index) => {
    const add = (rule: LintRuleId, message: string, offset: number) => issues.push({ rule, message, statement: index, offset });
    for (const stmt of splitStatements(tokenize(text))) {
      for (const h of findLiteralSchemas(stmt, ctx)) add('literal-schema', `schema "${h.schema}" is written literally (${h.written})`, h.offset);
      for (const body of functionBodies(stmt)) {
        const inner = tokenize(body.text);
        for (const h of findLiteralSchemas(inner, ctx, body.offset))
          add('literal-schema', `schema "${h.schema}" is written literally in the body of ${body.name} (${h.written})`, h.offset);
        if (!body.checkNames) continue;
        for (const u of unqualifiedTables(inner)) {
          add(
            'unqualified-in-body',
            `function ${body.name} reads table "${u.table}" without a schema and does not pin search_path: it resolves against each caller's search_path`,
            body.offset + u.offset,
          );
        }
      }
      checkLocking(stmt, ctx, state, created, add);
    }
  });
  return issues;
}

function checkLocking(
  tokens: readonly SqlToken[],
  ctx: SchemaContext,
  state: SqlCheckState,
  created: Set<string>,
  add: (rule: LintRuleId, message: string, offset: number) => void,
): void {
  const kind = leadingWords(tokens, 8);
  const first = tokens[0]!;
  const table = /^create( (global|local))?( (temporary|temp|unlogged))? (table|materialized view)\b/.exec(kind);
  if (table) {
    const at = tokens.findIndex((t) => isWord(t, 'table', 'view'));
    const name = readRelation(tokens, at + 1);
    if (name) created.add(tableKey(name.parts, ctx));
    return;
  }
  if (/^create (unique )?index\b/.test(kind)) {
    const on = tokens.findIndex((t) => isWord(t, 'on'));
    const name = on === -1 ? undefined : readRelation(tokens, on + 1);
    if (!name) return;
    const key = tableKey(name.parts, ctx);
    const concurrent = tokens.slice(0, on).some((t) => isWord(t, 'concurrently'));
    if (!concurrent && !created.has(key)) {
      const index = tokens
        .slice(2, on)
        .filter((t) => isIdent(t) && !isWord(t, 'index', 'if', 'not', 'exists'))
        .map((t) => t.value)[0];
      add(
        'index-not-concurrent',
        `CREATE INDEX${index ? ` "${index}"` : ''} on existing table ${key} without CONCURRENTLY blocks writes to ${key} while it builds`,
        first.start,
      );
    }
    return;
  }
  if (!/^alter table\b/.test(kind)) return;
  const name = readRelation(tokens, 2);
  if (!name) return;
  const key = tableKey(name.parts, ctx);
  const isNew = created.has(key);
  for (const action of splitTopLevel(tokens.slice(name.end))) {
    if (action.length === 0) continue;
    checkAlterAction(action, key, isNew, state, add);
  }
}

function checkAlterAction(
  a: readonly SqlToken[],
  table: string,
  isNew: boolean,
  state: SqlCheckState,
  add: (rule: LintRuleId, message: string, offset: number) => void,
): void {
  const at = a[0]!.start;
  if (isWord(a[0], 'alter')) {
    const c = isWord(a[1], 'column') ? 2 : 1;
    const column = a[c];
    if (!isIdent(column)) return;
    const rest = a.slice(c + 1);
    const typeChange = isWord(rest[0], 'type') || (isWord(rest[0], 'set') && isWord(rest[1], 'data') && isWord(rest[2], 'type'));
    if (typeChange && !isNew) {
      add('column-type-change', `ALTER COLUMN ${column!.value} TYPE on existing table ${table} may rewrite the whole table under an ACCESS EXCLUSIVE lock`, at);
    }
    const setNotNull = isWord(rest[0], 'set') && isWord(rest[1], 'not') && isWord(rest[2], 'null');
    if (setNotNull && !isNew && !state.notNullChecked.has(`${table}.${column!.value}`)) {
      add(
        'set-not-null',
        `SET NOT NULL on ${table}.${column!.value} scans the table under an ACCESS EXCLUSIVE lock: no validated CHECK (${column!.value} IS NOT NULL) precedes it`,
        at,
      );
    }
    return;
  }
  if (isWord(a[0], 'validate') && isWord(a[1], 'constraint') && isIdent(a[2])) {
    const col = state.pendingChecks.get(`${table}/${a[2]!.value}`);
    if (col !== undefined) state.notNullChecked.add(`${table}.${col}`);
    return;
  }
  if (!isWord(a[0], 'add')) return;
  let i = 1;
  let constraint: string | undefined;
  if (isWord(a[i], 'constraint') && isIdent(a[i + 1])) {
    constraint = a[i + 1]!.value;
    i += 2;
  }
  const notValid = a.some((t, k) => isWord(t, 'not') && isWord(a[k + 1], 'valid'));
  const what = constraint ? `constraint "${constraint}"` : 'a constraint';
  if (isWord(a[i], 'check') && isPunct(a[i + 1], '(')) {
    const col = notNullColumn(a.slice(i + 1, closingParen(a, i + 1) + 1));
    if (col === undefined) return;
    if (notValid && constraint) state.pendingChecks.set(`${table}/${constraint}`, col);
    else if (!notValid) state.notNullChecked.add(`${table}.${col}`);
    return;
  }
  if (isNew) return;
  if (isWord(a[i], 'foreign') && isWord(a[i + 1], 'key') && !notValid) {
    add(
      'fk-not-valid',
      `ADD FOREIGN KEY (${what}) on existing table ${table} without NOT VALID checks every row while it locks ${table} and the referenced table`,
      at,
    );
    return;
  }
  const unique = isWord(a[i], 'unique') || (isWord(a[i], 'primary') && isWord(a[i + 1], 'key'));
  if (unique && !a.some((t, k) => isWord(t, 'using') && isWord(a[k + 1], 'index'))) {
    add(
      'index-not-concurrent',
      `ADD ${isWord(a[i], 'unique') ? 'UNIQUE' : 'PRIMARY KEY'} (${what}) on existing table ${table} builds its index without CONCURRENTLY and blocks writes while it builds`,
      at,
    );
  }
}

/** `(col IS NOT NULL)` -> `col`. */
function notNullColumn(expr: readonly SqlToken[]): string | undefined {
  const inner = expr.filter((t) => !isPunct(t, '(') && !isPunct(t, ')'));
  if (inner.length === 4 && isIdent(inner[0]) && isWord(inner[1], 'is') && isWord(inner[2], 'not') && isWord(inner[3], 'null')) return inner[0]!.value;
  return undefined;
}

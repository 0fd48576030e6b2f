import { enclosingFunctions, fromListsTables, leadingWords } from './sql-names';
import { closingParen, isIdent, isPunct, isWord, readName, splitStatements, type SqlToken } from './sql-tokens';

/** The body of a `CREATE FUNCTION` / `CREATE PROCEDURE` or `DO` statement. */
export interface FunctionBody {
  /** `function f`, `procedure p` or `DO block`. */
  readonly name: string;
  readonly text: string;
  /** Offset of the body in the statement's text. */
  readonly offset: number;
  /**
   * The body is SQL or PL/pgSQL parsed at each call with the caller's search_path (the function
   * does not pin it), so unqualified table names in it are a hazard. DO blocks run once, during the
   * migration, with the migration's search_path, so they are not.
   */
  readonly checkNames: boolean;
}

/**
 * Finds the string or dollar-quoted body of a function, procedure or DO block.
 * SQL-standard bodies (`BEGIN ATOMIC`, `RETURN expr`) are bound at creation like views, so they
 * are not returned.
 *
 * @example
 * ```ts
 * functionBodies(tokenize("create function f() returns int language sql as $$ select 1 $$"))
 * // [{ name: 'function f', text: ' select 1 ', offset: 58, checkNames: true }]
 * ```
 */
export function functionBodies(tokens: readonly SqlToken[]): FunctionBody[] {
  const kind = leadingWords(tokens, 5);
  if (/^do\b/.test(kind)) {
    const body = tokens.find((t) => t.kind === 'dollar' || t.kind === 'string');
    return body ? [{ name: 'DO block', text: body.value, offset: bodyOffset(body), checkNames: false }] : [];
  }
  if (!/^create (or replace )?(function|procedure)\b/.test(kind)) return [];
  const kw = tokens.findIndex((t) => isWord(t, 'function', 'procedure'));
  const name = readName(tokens, kw + 1);
  if (!name || !isPunct(tokens[name.end], '(')) return [];
  let body: SqlToken | undefined;
  let language: string | undefined;
  let pinned = false;
  let depth = 0;
  for (let j = closingParen(tokens, name.end) + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    if (depth !== 0) continue;
    const next = tokens[j + 1];
    if (isWord(t, 'as') && next && (next.kind === 'string' || next.kind === 'dollar')) body ??= next;
    else if (isWord(t, 'language') && next) language = next.value.toLowerCase();
    else if (isWord(t, 'set') && isWord(next, 'search_path')) pinned = true;
  }
  if (!body) return [];
  const label = `${tokens[kw]!.value} ${name.parts[name.parts.length - 1]}`;
  return [{ name: label, text: body.value, offset: bodyOffset(body), checkNames: !pinned && (language === 'sql' || language === 'plpgsql') }];
}

function bodyOffset(t: SqlToken): number {
  return t.bodyStart ?? t.start + 1;
}

/** Words that can follow FROM or JOIN without being a table name. */
const NOT_A_TABLE = new Set([
  'select',
  'where',
  'lateral',
  'only',
  'values',
  'with',
  'set',
  'group',
  'order',
  'limit',
  'on',
  'join',
  'natural',
  'left',
  'right',
  'inner',
  'outer',
  'cross',
  'full',
  'using',
  'returning',
  'union',
  'except',
  'intersect',
  'window',
  'having',
  'offset',
  'fetch',
  'for',
  'into',
  'as',
  'table',
  'loop',
  'then',
  'end',
  'default',
]);

/** An unqualified table name in a body. */
export interface UnqualifiedTable {
  readonly table: string;
  /** Offset in the body text. */
  readonly offset: number;
}

/**
 * Table names without a schema in FROM / JOIN / UPDATE / INSERT INTO / TRUNCATE / LOCK of a SQL
 * or PL/pgSQL body; CTE names, function calls and `pg_*` catalog names excepted. One hit per table.
 *
 * @example
 * ```ts
 * unqualifiedTables(tokenize('select count(*) from station s join "p".obs o on true'))
 * // [{ table: 'station', offset: 21 }]
 * ```
 */
export function unqualifiedTables(tokens: readonly SqlToken[]): UnqualifiedTable[] {
  const ctes = cteNames(tokens);
  const out: UnqualifiedTable[] = [];
  const seen = new Set<string>();
  const consider = (stmt: readonly SqlToken[], j: number): number => {
    let k = j;
    while (isWord(stmt[k], 'only', 'table')) k++;
    const name = readName(stmt, k);
    if (!name) return k;
    const t = stmt[k]!;
    const table = name.parts[0]!;
    const plain = name.parts.length === 1 && !isPunct(stmt[name.end], '(') && !(t.kind === 'word' && NOT_A_TABLE.has(table));
    if (plain && !ctes.has(table) && !table.startsWith('pg_') && !seen.has(table)) {
      seen.add(table);
      out.push({ table, offset: t.start });
    }
    return name.end;
  };
  for (const stmt of splitStatements(tokens)) {
    const cursor = /^(fetch|move)\b/.test(leadingWords(stmt, 1));
    const enclosing = enclosingFunctions(stmt);
    for (let i = 0; i < stmt.length; i++) {
      const t = stmt[i]!;
      const prev = stmt[i - 1];
      if (isWord(t, 'from') && !cursor && fromListsTables(stmt, i, enclosing)) {
        // A FROM list: `from a x, b as y, c`.
        let k = consider(stmt, i + 1);
        for (;;) {
          if (isWord(stmt[k], 'as')) k++;
          if (isIdent(stmt[k]) && !(stmt[k]!.kind === 'word' && NOT_A_TABLE.has(stmt[k]!.value))) k++;
          if (!isPunct(stmt[k], ',')) break;
          k = consider(stmt, k + 1);
        }
      } else if (isWord(t, 'join')) {
        consider(stmt, i + 1);
      } else if (isWord(t, 'update') && !isWord(prev, 'for', 'do', 'key', 'no', 'before', 'after', 'or')) {
        consider(stmt, i + 1);
      } else if (isWord(t, 'into') && isWord(prev, 'insert', 'merge')) {
        consider(stmt, i + 1);
      } else if (isWord(t, 'truncate') || (isWord(t, 'table') && isWord(prev, 'lock'))) {
        consider(stmt, i + 1);
      }
    }
  }
  return out;
}

/** Names defined by WITH (CTEs): `with a as (...), b (x) as materialized (...)`. */
function cteNames(tokens: readonly SqlToken[]): Set<string> {
  const names = new Set<string>();
  tokens.forEach((t, i) => {
    if (!isIdent(t) || !(isWord(tokens[i - 1], 'with', 'recursive') || isPunct(tokens[i - 1], ','))) return;
    let j = i + 1;
    if (isPunct(tokens[j], '(')) j = closingParen(tokens, j) + 1;
    if (!isWord(tokens[j], 'as')) return;
    j++;
    while (isWord(tokens[j], 'not', 'materialized')) j++;
    if (isPunct(tokens[j], '(')) names.add(t.value);
  });
  return names;
}

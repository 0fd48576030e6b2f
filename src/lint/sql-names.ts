import { closingParen, isIdent, isPunct, isWord, readName, splitStatements, tokenize, type SqlToken } from './sql-tokens';

/** What the checks know about the revision's schema. */
export interface SchemaContext {
  /** The placeholder the revision was rendered with (`ctx.schema`). */
  readonly placeholder: string;
  /** Schema names that are always literal when they qualify a name (the project's default schema). */
  readonly knownSchemas: readonly string[];
}

/** Schemas a revision may always name: the system's own. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast', 'pg_temp']);
/** What a search_path may list besides the target schema. */
const SEARCH_PATH_OK = new Set(['pg_catalog', 'pg_temp', 'public', '$user', 'information_schema']);

/** A schema name the revision did not get from ctx. */
export function isLiteralSchema(name: string, ctx: SchemaContext): boolean {
  return !(name.startsWith(ctx.placeholder) || SYSTEM_SCHEMAS.has(name));
}

/** Keywords after which a dotted name is `schema.object`, never `table.column`. */
const RELATION_KEYWORDS = new Set([
  'from',
  'join',
  'update',
  'into',
  'table',
  'references',
  'view',
  'function',
  'procedure',
  'sequence',
  'type',
  'index',
  'exists',
  'only',
  'setof',
  'returns',
  'domain',
  'lateral',
  'truncate',
  'trigger',
  'using',
  'copy',
  'lock',
  'concurrently',
  'of',
  'inherits',
  'aggregate',
  'routine',
  'analyze',
  'vacuum',
  'cluster',
]);

/** Functions whose argument list uses FROM as a separator, not as a table list. */
const FROM_SEPARATOR_FUNCTIONS = new Set(['extract', 'substring', 'trim', 'overlay', 'position', 'substr']);

/** Statements in which `ON <name>` names a relation (and not a join condition). */
const ON_NAMES_RELATION =
  /^(create (unique )?index|create (or replace )?(constraint )?trigger|create policy|create (or replace )?rule|grant|revoke|comment|security label|drop (trigger|policy|rule)|alter (trigger|policy))\b/;

const REG_CASTS = new Set(['regclass', 'regproc', 'regprocedure', 'regtype', 'regoper', 'regoperator', 'regconfig', 'regdictionary']);
const REG_FUNCTIONS = new Set([
  'nextval',
  'setval',
  'currval',
  'to_regclass',
  'to_regproc',
  'to_regprocedure',
  'to_regtype',
  'pg_get_serial_sequence',
  'to_regnamespace',
]);

/** The first words of a statement, lower-cased and joined, for matching its kind. */
export function leadingWords(tokens: readonly SqlToken[], count = 6): string {
  const words: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'word' || words.length >= count) break;
    words.push(t.value);
  }
  return words.join(' ');
}

/**
 * For each token index, the function whose parentheses enclose it (undefined at top level or in
 * plain parentheses). Used to tell `extract(day from d)` from `select ... from d`.
 */
export function enclosingFunctions(tokens: readonly SqlToken[]): Array<string | undefined> {
  const stack: Array<string | undefined> = [];
  return tokens.map((t, i) => {
    const here = stack[stack.length - 1];
    if (isPunct(t, '(')) {
      const prev = tokens[i - 1];
      stack.push(prev && prev.kind === 'word' ? prev.value : undefined);
    } else if (isPunct(t, ')')) {
      stack.pop();
    }
    return here;
  });
}

/** Whether the FROM at `i` starts a table list (not `extract(x from y)` nor `is distinct from`). */
export function fromListsTables(tokens: readonly SqlToken[], i: number, enclosing: ReadonlyArray<string | undefined>): boolean {
  const fn = enclosing[i];
  if (fn !== undefined && FROM_SEPARATOR_FUNCTIONS.has(fn)) return false;
  if (isWord(tokens[i - 1], 'distinct') && (isWord(tokens[i - 2], 'is') || (isWord(tokens[i - 2], 'not') && isWord(tokens[i - 3], 'is')))) return false;
  return true;
}

/** A literal schema found in SQL: where, and how it was written. */
export interface LiteralSchemaHit {
  readonly offset: number;
  readonly schema: string;
  readonly written: string;
}

/**
 * Finds schema names written literally in one statement: qualified names in relation positions,
 * qualified function calls and casts, three-part names, `schema <name>` clauses, search_path
 * settings and `'schema.table'::regclass`-style strings. `offsetBase` is added to every offset.
 *
 * @example
 * ```ts
 * findLiteralSchemas(tokenize('select * from crmp.t'), { placeholder: 'p', knownSchemas: [] })
 * // [{ offset: 14, schema: 'crmp', written: 'crmp.t' }]
 * ```
 */
export function findLiteralSchemas(tokens: readonly SqlToken[], ctx: SchemaContext, offsetBase = 0): LiteralSchemaHit[] {
  return splitStatements(tokens).flatMap((statement) => findInStatement(statement, ctx, offsetBase));
}

function findInStatement(tokens: readonly SqlToken[], ctx: SchemaContext, offsetBase: number): LiteralSchemaHit[] {
  const hits: LiteralSchemaHit[] = [];
  const kind = leadingWords(tokens);
  const onIsRelation = ON_NAMES_RELATION.test(kind);
  const enclosing = enclosingFunctions(tokens);
  const hit = (t: SqlToken, schema: string, written: string) => hits.push({ offset: offsetBase + t.start, schema, written });
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isWord(t, 'schema') && isWord(tokens[i - 1], 'create', 'drop', 'alter', 'with', 'in', 'on', 'set')) {
      let j = i + 1;
      while (isWord(tokens[j], 'if', 'not', 'exists')) j++;
      const name = tokens[j];
      if (isIdent(name) && !isWord(name, 'authorization') && isLiteralSchema(name!.value, ctx)) hit(name!, name!.value, `schema ${name!.value}`);
      i = j + 1;
      continue;
    }
    if (isWord(t, 'search_path') && isWord(tokens[i - 1], 'set')) {
      i = checkSearchPath(tokens, i + 1, ctx, hit);
      continue;
    }
    if (t.kind === 'string') {
      checkRegString(tokens, i, ctx, hit, enclosing);
      i++;
      continue;
    }
    if (!isIdent(t) || isPunct(tokens[i - 1], '.')) {
      i++;
      continue;
    }
    const name = readName(tokens, i)!;
    if (name.parts.length >= 2 && isLiteralSchema(name.parts[0]!, ctx)) {
      const prev = tokens[i - 1];
      const qualifies =
        name.parts.length === 3 ||
        isPunct(tokens[name.end], '(') ||
        (prev?.kind === 'op' && prev.value === '::') ||
        ctx.knownSchemas.includes(name.parts[0]!) ||
        (prev?.kind === 'word' &&
          (prev.value === 'on' ? onIsRelation : RELATION_KEYWORDS.has(prev.value)) &&
          (prev.value !== 'from' || fromListsTables(tokens, i - 1, enclosing)));
      if (qualifies) hit(t, name.parts[0]!, name.parts.join('.'));
    }
    i = name.end;
  }
  return hits;
}

/** `set search_path to a, b` (also as a function option): every listed schema must be ours or a system one. */
function checkSearchPath(tokens: readonly SqlToken[], i: number, ctx: SchemaContext, hit: (t: SqlToken, s: string, w: string) => void): number {
  let j = i;
  if (isWord(tokens[j], 'to') || (tokens[j]?.kind === 'op' && tokens[j]!.value === '=')) j++;
  else if (isWord(tokens[j], 'from')) return j + 2;
  for (;;) {
    const item = tokens[j];
    if (item === undefined) return j;
    const names = item.kind === 'string' ? item.value.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')) : isIdent(item) ? [item.value] : [];
    if (names.length === 0) return j;
    for (const n of names) if (n !== '' && !SEARCH_PATH_OK.has(n) && isLiteralSchema(n, ctx)) hit(item, n, `search_path ${n}`);
    j++;
    if (!isPunct(tokens[j], ',')) return j;
    j++;
  }
}

/** `'crmp.t'::regclass`, `nextval('crmp.seq')`, `'crmp'::regnamespace`, `set_config('search_path', 'crmp', ...)`. */
function checkRegString(
  tokens: readonly SqlToken[],
  i: number,
  ctx: SchemaContext,
  hit: (t: SqlToken, s: string, w: string) => void,
  enclosing: ReadonlyArray<string | undefined>,
): void {
  const t = tokens[i]!;
  const castTo = tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '::' && tokens[i + 2]?.kind === 'word' ? tokens[i + 2]!.value : undefined;
  if (castTo === 'regnamespace') {
    if (isLiteralSchema(unquote(t.value), ctx)) hit(t, unquote(t.value), `'${t.value}'::regnamespace`);
    return;
  }
  const fn = enclosing[i];
  if (fn === 'set_config' && tokens[i - 2]?.kind === 'string' && tokens[i - 2]!.value === 'search_path' && isPunct(tokens[i - 1], ',')) {
    for (const n of t.value.split(',').map((s) => unquote(s.trim()))) {
      if (n !== '' && !SEARCH_PATH_OK.has(n) && isLiteralSchema(n, ctx)) hit(t, n, `search_path ${n}`);
    }
    return;
  }
  const isRef = (castTo !== undefined && REG_CASTS.has(castTo)) || (fn !== undefined && REG_FUNCTIONS.has(fn) && isPunct(tokens[i - 1], '('));
  if (!isRef) return;
  const dotted = readName(tokenize(t.value), 0);
  if (dotted && dotted.parts.length >= 2 && isLiteralSchema(dotted.parts[0]!, ctx)) hit(t, dotted.parts[0]!, `'${t.value}'`);
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase();
}

/**
 * A table name as the checks compare it: the placeholder schema dropped, so that `"p"."t"` and `t`
 * are the same table.
 */
export function tableKey(parts: readonly string[], ctx: SchemaContext): string {
  if (parts.length === 2 && parts[0] === ctx.placeholder) return parts[1]!;
  return parts.join('.');
}

/** Skips `only` / `if exists` / `if not exists` and reads the name at `i`. */
export function readRelation(tokens: readonly SqlToken[], i: number): ReturnType<typeof readName> {
  let j = i;
  while (isWord(tokens[j], 'only', 'if', 'not', 'exists', 'lateral')) j++;
  return readName(tokens, j);
}

export { closingParen };

import type { RawBuilder } from 'kysely';
import type { SchemaScope, SqlExpression } from './schema-scope';
import { checkSqlText, modelMistake } from './sql-text-check';

/** A type written as SQL (`timestamp without time zone`, `setof record`) or a type of the schema. */
export type TypeExpression = string | ((s: SchemaScope) => RawBuilder<unknown>);

/** One argument of a function or procedure. */
export interface FunctionArgument {
  readonly name?: string;
  readonly type: TypeExpression;
  readonly mode?: 'in' | 'out' | 'inout' | 'variadic';
  readonly default?: SqlExpression;
}

/**
 * The body of a function: its source written against the schema (kept verbatim by PostgreSQL),
 * a C symbol in a shared library, or a SQL-standard body (`RETURN x + 1`, `BEGIN ATOMIC ... END`),
 * which PostgreSQL parses when the function is created.
 */
export type FunctionBody = SqlExpression | { readonly file: string; readonly symbol: string } | { readonly atomic: SqlExpression };

/** A function or procedure as plain data. */
export interface FunctionNode {
  readonly kind: 'function' | 'procedure';
  readonly name: string;
  readonly args: readonly FunctionArgument[];
  /** Functions only: `integer`, `setof record`, `TABLE(a text, c integer)`, `trigger`, `void`. */
  readonly returns?: TypeExpression;
  readonly language: string;
  readonly body: FunctionBody;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly leakproof?: boolean;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
  readonly cost?: number;
  readonly rows?: number;
  /** A window function. */
  readonly window?: boolean;
  /**
   * `SET name TO value` clauses: a string is one value, quoted as a literal; an expression is
   * written as is (`search_path: (s) => sql\`${s.id}, public\``).
   */
  readonly set?: Readonly<Record<string, string | SqlExpression>>;
  /** Created through `asSuperuser` (`SET ROLE <suRole>`): required for C and untrusted languages. */
  readonly privileged: boolean;
  readonly comment?: string;
  /** The owning role; default: whoever creates it (the SU role for privileged ones). */
  readonly owner?: string;
  /**
   * Tables, views and types of the model it needs at creation (its signature's types, what a
   * SQL-standard body reads): they are created first.
   */
  readonly dependsOn?: readonly string[];
}

/** Languages only a superuser may create functions in. */
export const UNTRUSTED_LANGUAGES: readonly string[] = ['c', 'internal', 'plpython3u', 'plpythonu', 'plperlu', 'pltclu'];

type Defaults = 'args' | 'volatility' | 'strict' | 'securityDefiner' | 'privileged';

/** Options of {@link pgFunction}. */
export type FunctionOptions = Omit<FunctionNode, 'kind' | 'name' | 'returns' | Defaults> & { readonly returns: TypeExpression } & Partial<
    Pick<FunctionNode, Defaults>
  >;

/** Options of {@link procedure}. */
export type ProcedureOptions = Omit<
  FunctionNode,
  'kind' | 'name' | 'returns' | 'volatility' | 'strict' | 'leakproof' | 'parallel' | 'cost' | 'rows' | 'window' | Defaults
> &
  Partial<Pick<FunctionNode, 'args' | 'securityDefiner' | 'privileged'>>;

/**
 * Defines a function. Bodies are functions of the schema, so they never name it literally.
 *
 * @example
 * ```ts
 * pgFunction('set_mod_time', {
 *   returns: 'trigger', language: 'plpgsql',
 *   body: sql`begin new.mod_time := now(); return new; end;`,
 * });
 * pgFunction('moddatetime_wrapper', {
 *   returns: 'trigger', language: 'c', privileged: true,
 *   body: { file: '$libdir/moddatetime', symbol: 'moddatetime' },
 * });
 * // SET ROLE "<suRole>"; CREATE OR REPLACE FUNCTION "crmp"."moddatetime_wrapper"() RETURNS trigger LANGUAGE c AS '$libdir/moddatetime', 'moddatetime'
 * ```
 * @throws ConfigError `MODEL_BAD_CALL` for an untrusted language without `privileged: true`, a C body in another language.
 */
export function pgFunction(name: string, options: FunctionOptions): FunctionNode {
  return routineNode('function', name, options);
}

/**
 * Defines a procedure (`CALL`ed, no result; arguments may be `out`).
 *
 * @example
 * ```ts
 * procedure('purge', { args: [{ name: 'before', type: 'date' }], language: 'sql', body: (s) => sql`delete from ${s('obs_raw')} where obs_time < before` });
 * ```
 */
export function procedure(name: string, options: ProcedureOptions): FunctionNode {
  return routineNode('procedure', name, { ...options, volatility: 'volatile', strict: false });
}

function routineNode(
  kind: FunctionNode['kind'],
  name: string,
  options: Omit<FunctionNode, 'kind' | 'name' | Defaults> & Partial<Pick<FunctionNode, Defaults>>,
): FunctionNode {
  const node: FunctionNode = {
    ...options,
    kind,
    name,
    args: Object.freeze([...(options.args ?? [])]),
    volatility: options.volatility ?? 'volatile',
    strict: options.strict ?? false,
    securityDefiner: options.securityDefiner ?? false,
    privileged: options.privileged ?? false,
  };
  const what = `${kind} ${name}`;
  if (!/^[a-z][a-z0-9_]*$/.test(node.language))
    modelMistake(`The ${what} has a bad language name ${JSON.stringify(node.language)}: write it in lower case, e.g. 'plpgsql'.`);
  if (UNTRUSTED_LANGUAGES.includes(node.language) && !node.privileged) {
    modelMistake(`The ${what} is in language ${node.language}, which needs a superuser: set privileged: true.`);
  }
  for (const type of [...(node.returns === undefined ? [] : [node.returns]), ...node.args.map((a) => a.type)]) {
    if (typeof type === 'string') checkSqlText(type, `A type of ${what}`);
  }
  if (isLibrarySymbol(node.body) !== (node.language === 'c')) {
    modelMistake(`The ${what}: a { file, symbol } body goes with language c, and only with it.`);
  }
  for (const key of Object.keys(node.set ?? {})) {
    if (!/^[a-z_][a-z0-9_.]*$/i.test(key)) modelMistake(`The ${what} sets ${JSON.stringify(key)}, which is not a setting name.`);
  }
  return Object.freeze(node);
}

/** Whether a body is a C symbol rather than source text. */
export function isLibrarySymbol(body: FunctionBody): body is { readonly file: string; readonly symbol: string } {
  return typeof body === 'object' && body !== null && 'file' in body && 'symbol' in body;
}

/** Whether a body is a SQL-standard body. */
export function isAtomicBody(body: FunctionBody): body is { readonly atomic: SqlExpression } {
  return typeof body === 'object' && body !== null && 'atomic' in body;
}

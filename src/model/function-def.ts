import type { RawBuilder } from 'kysely';
import { isPlainTypeName } from './column';
import type { SchemaScope, SqlExpression } from './schema-scope';

/** A type written as SQL (`timestamp without time zone`, `setof record`) or a type of the schema. */
export type TypeExpression = string | ((s: SchemaScope) => RawBuilder<unknown>);

/** One argument of a function. */
export interface FunctionArgument {
  readonly name?: string;
  readonly type: TypeExpression;
  readonly mode?: 'in' | 'out' | 'inout' | 'variadic';
  readonly default?: SqlExpression;
}

/** The body of a function: its source written against the schema, or a C symbol in a shared library. */
export type FunctionBody = SqlExpression | { readonly file: string; readonly symbol: string };

/** A function as plain data. */
export interface FunctionNode {
  readonly name: string;
  readonly args: readonly FunctionArgument[];
  readonly returns: TypeExpression;
  readonly language: string;
  readonly body: FunctionBody;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
  readonly cost?: number;
  readonly rows?: number;
  /** Created through `asSuperuser` (`SET ROLE <suRole>`): required for C and untrusted languages. */
  readonly privileged: boolean;
  readonly comment?: string;
}

/** Languages only a superuser may create functions in. */
export const UNTRUSTED_LANGUAGES: readonly string[] = ['c', 'internal', 'plpython3u', 'plpythonu', 'plperlu', 'pltclu'];

/** Options of {@link pgFunction}. */
export type FunctionOptions = Omit<FunctionNode, 'name' | 'args' | 'volatility' | 'strict' | 'securityDefiner' | 'privileged'> &
  Partial<Pick<FunctionNode, 'args' | 'volatility' | 'strict' | 'securityDefiner' | 'privileged'>>;

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
 * // SET ROLE "<suRole>"; create function "crmp"."moddatetime_wrapper"() returns trigger language c ... as '$libdir/moddatetime', 'moddatetime'
 * ```
 */
export function pgFunction(name: string, options: FunctionOptions): FunctionNode {
  const node: FunctionNode = {
    ...options,
    name,
    args: Object.freeze([...(options.args ?? [])]),
    volatility: options.volatility ?? 'volatile',
    strict: options.strict ?? false,
    securityDefiner: options.securityDefiner ?? false,
    privileged: options.privileged ?? false,
  };
  if (!/^[a-z][a-z0-9_]*$/.test(node.language)) throw new TypeError(`function ${name}: bad language name ${JSON.stringify(node.language)}`);
  if (UNTRUSTED_LANGUAGES.includes(node.language) && !node.privileged) {
    throw new TypeError(`function ${name} is in language ${node.language}, which needs a superuser: set privileged: true`);
  }
  for (const type of [node.returns, ...node.args.map((a) => a.type)]) {
    if (typeof type === 'string' && !isPlainTypeName(type)) throw new TypeError(`function ${name}: not a plain SQL type name: ${JSON.stringify(type)}`);
  }
  if (isLibrarySymbol(node.body) !== (node.language === 'c')) {
    throw new TypeError(`function ${name}: a { file, symbol } body goes with language c, and only with it`);
  }
  return Object.freeze(node);
}

/** Whether a body is a C symbol rather than source text. */
export function isLibrarySymbol(body: FunctionBody): body is { readonly file: string; readonly symbol: string } {
  return typeof body === 'object' && body !== null && 'file' in body && 'symbol' in body;
}

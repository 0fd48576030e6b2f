import { ConfigError } from '../errors';
import { closingQuote } from '../schema/sql-text';

/**
 * Why `text` cannot be pasted into DDL as a type, collation, operator class or option, or
 * `undefined` when it can: it must not end the statement (`;`), start a comment (`--`, `/*`),
 * or leave a quote or a parenthesis open. Quoted parts are skipped, so `"my;type"` is fine;
 * backslashes and dollar quotes, which change where a quote ends, are refused.
 *
 * @example
 * ```ts
 * sqlTextProblem('public.geometry(Point,4326)') // undefined
 * sqlTextProblem('int; drop table x')           // 'it contains ";"'
 * ```
 */
export function sqlTextProblem(text: string): string | undefined {
  if (text.trim() === '') return 'it is empty';
  // PostgreSQL reads quotes differently inside E'...' escapes and $tag$ strings: refuse both
  if (text.includes('\\')) return 'it contains a backslash';
  if (/\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.test(text)) return 'it contains a dollar quote';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(text, i);
      if (end < 0) return `it leaves a ${ch === "'" ? 'string' : 'quoted name'} open`;
      i = end;
    } else if (ch === ';') return 'it contains ";"';
    else if (ch === '-' && text[i + 1] === '-') return 'it contains a comment ("--")';
    else if (ch === '/' && text[i + 1] === '*') return 'it contains a comment ("/*")';
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return 'it closes a parenthesis it did not open';
  }
  return depth > 0 ? 'it leaves a parenthesis open' : undefined;
}

/**
 * Throws when `text` is not safe to paste into DDL (see {@link sqlTextProblem}).
 *
 * @throws ConfigError `MODEL_BAD_SQL_TEXT` naming `what`.
 */
export function checkSqlText(text: string, what: string): string {
  const problem = sqlTextProblem(text);
  if (problem !== undefined) {
    throw new ConfigError(
      'MODEL_BAD_SQL_TEXT',
      `${what} ${JSON.stringify(text)} cannot be written into DDL: ${problem}. Write a type, name or option as PostgreSQL spells it.`,
    );
  }
  return text;
}

/** Throws a `MODEL_BAD_CALL` error for a mistake in one DSL call. */
export function modelMistake(message: string): never {
  throw new ConfigError('MODEL_BAD_CALL', message);
}

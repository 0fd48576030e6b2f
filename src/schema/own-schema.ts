/**
 * A snapshot never names the schema it describes. PostgreSQL prints the schema's own objects
 * unqualified in view, default, index, constraint and trigger definitions when `search_path`
 * is that schema, but a routine's body is kept verbatim as it was written, and it usually
 * qualifies its tables (`"crmp".obs_raw`, `crmp.obs_raw`) or names the schema in a string
 * (`'crmp'`), because a function runs under its caller's `search_path`.
 *
 * So when a schema is read, those mentions of its own name become two sentinels, and every
 * renderer writes them back for the schema it targets: the SQL renderer as `"crmp"` and
 * `'crmp'`, the revision renderer as `${ctx.sql.id(ctx.schema)}` and `${ctx.sql.lit(ctx.schema)}`,
 * the model renderer as `${s.id}` and `${s.literal}`. The same objects read from schemas `a`
 * and `b` are then equal, and a generated revision applies to any schema.
 */
import { quoteIdent, quoteIdentIfNeeded, quoteLiteral } from './sql-text';

/** The own schema as an identifier (a qualifier, or an entry of `SET search_path`). Rendered quoted. */
export const OWN_SCHEMA_ID = '\u0000own schema id\u0000';

/** The own schema's name as a string literal, quotes included. */
export const OWN_SCHEMA_LITERAL = '\u0000own schema literal\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces the mentions of `schema` in routine text with the sentinels: the identifier as a
 * qualifier (quoted, or bare where it needs no quotes), and the name as a whole string literal.
 * A `SET search_path TO 'crmp', 'public'` clause (pg_get_functiondef's form) names it as a
 * literal holding an identifier; that entry becomes the identifier sentinel.
 *
 * @example
 * ```ts
 * markOwnSchema(`select * from "crmp".t join crmp.u using (id) where s = 'crmp'`, 'crmp')
 * // `select * from ${OWN_SCHEMA_ID}.t join ${OWN_SCHEMA_ID}.u using (id) where s = ${OWN_SCHEMA_LITERAL}`
 * ```
 */
export function markOwnSchema(text: string, schema: string): string {
  // most bodies never name their schema: no regular expression to build then
  if (!text.includes(schema) && !text.includes(quoteIdent(schema)) && !text.includes(quoteLiteral(schema))) return text;
  const quoted = escapeRegExp(quoteIdent(schema));
  const bare = quoteIdentIfNeeded(schema) === schema ? escapeRegExp(schema) : undefined;
  let out = text.replace(/^( SET search_path TO )(.*)$/m, (_line, head: string, list: string) => {
    const own = quoteLiteral(quoteIdentIfNeeded(schema));
    return (
      head +
      list
        .split(', ')
        .map((item) => (item === own ? OWN_SCHEMA_ID : item))
        .join(', ')
    );
  });
  out = out.replace(new RegExp(`${quoted}(?=\\s*\\.)`, 'g'), OWN_SCHEMA_ID);
  if (bare !== undefined) out = out.replace(new RegExp(`(?<![\\w"$.])${bare}(?=\\s*\\.)`, 'g'), OWN_SCHEMA_ID);
  out = out.replace(new RegExp(`(?<![\\w'])${escapeRegExp(quoteLiteral(schema))}(?!')`, 'g'), OWN_SCHEMA_LITERAL);
  return out;
}

/** True when `text` holds a sentinel. */
export function mentionsOwnSchema(text: string): boolean {
  return text.includes(OWN_SCHEMA_ID) || text.includes(OWN_SCHEMA_LITERAL);
}

/**
 * Writes the sentinels back: `id` for {@link OWN_SCHEMA_ID}, `literal` for {@link OWN_SCHEMA_LITERAL}.
 *
 * @example
 * ```ts
 * fillOwnSchema(markOwnSchema(body, 'crmp'), { id: '"crmp_test"', literal: "'crmp_test'" })
 * ```
 */
export function fillOwnSchema(text: string, forms: { readonly id: string; readonly literal: string }): string {
  if (!mentionsOwnSchema(text)) return text;
  return text.split(OWN_SCHEMA_ID).join(forms.id).split(OWN_SCHEMA_LITERAL).join(forms.literal);
}

/** The forms of {@link fillOwnSchema} for plain SQL in `schema`. */
export function sqlForms(schema: string): { id: string; literal: string } {
  return { id: quoteIdent(schema), literal: quoteLiteral(schema) };
}

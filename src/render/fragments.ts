/**
 * A rendered statement is a list of fragments: SQL text, identifiers in the target schema,
 * plain identifiers, and the target schema itself. The SQL renderer fills in the schema's
 * name; the revision renderer writes `ctx.sql.id(ctx.schema, ...)` instead, so a revision
 * never contains a literal schema name. Text taken from a snapshot may hold the own-schema
 * sentinels (`own-schema.ts`); both renderers fill them in the same way.
 */
import { fillOwnSchema, sqlForms } from '../schema/own-schema';
import { READER_ROLE, type RelationRef } from '../schema/snapshot';
import { quoteIdent, quoteLiteral } from '../schema/sql-text';

export type Fragment =
  | { readonly kind: 'text'; readonly text: string }
  /** `qualified`: prefixed with the target schema. */
  | { readonly kind: 'id'; readonly parts: readonly string[]; readonly qualified: boolean }
  | { readonly kind: 'schema' };

export type Statement = readonly Fragment[];

type Value = Fragment | readonly Fragment[] | string;

function isFragment(value: Value): value is Fragment {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

/** Builds a statement: the template's text is SQL, interpolated strings are SQL text too. */
export function stmt(strings: TemplateStringsArray, ...values: readonly Value[]): Fragment[] {
  const out: Fragment[] = [];
  strings.forEach((s, i) => {
    if (s.length > 0) out.push(text(s));
    if (i < values.length) {
      const v = values[i]!;
      if (typeof v === 'string') out.push(text(v));
      else if (isFragment(v)) out.push(v);
      else out.push(...(v as readonly Fragment[]));
    }
  });
  return merge(out);
}

function merge(fragments: Fragment[]): Fragment[] {
  const out: Fragment[] = [];
  for (const f of fragments) {
    const last = out[out.length - 1];
    if (f.kind === 'text' && last?.kind === 'text') out[out.length - 1] = text(last.text + f.text);
    else if (f.kind !== 'text' || f.text.length > 0) out.push(f);
  }
  return out;
}

export function text(value: string): Fragment {
  return { kind: 'text', text: value };
}

/** An object of the target schema: `"schema"."name"` (more parts for a column). */
export function q(...parts: string[]): Fragment {
  return { kind: 'id', parts, qualified: true };
}

/** A plain identifier: `"name"`. */
export function id(...parts: string[]): Fragment {
  return { kind: 'id', parts, qualified: false };
}

/** The target schema's name as an identifier. */
export const schemaName: Fragment = { kind: 'schema' };

/** A relation of the target schema, or of another schema named literally. */
export function ref(relation: RelationRef): Fragment {
  if (relation.schema === null) return q(relation.name);
  return text(quoteIdent(relation.schema) + '.' + quoteIdent(relation.name));
}

/** A string literal as SQL text. */
export function lit(value: string): Fragment {
  return text(quoteLiteral(value));
}

/** Joins lists of fragments with a separator. */
export function join(items: readonly (readonly Fragment[])[], separator: string): Fragment[] {
  const out: Fragment[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(text(separator));
    out.push(...item);
  });
  return merge(out);
}

/** A role name as SQL: `PUBLIC` stays a keyword, the reading role is the session's user. */
export function role(name: string): Fragment {
  if (name === 'PUBLIC') return text('PUBLIC');
  if (name === READER_ROLE) return text('SESSION_USER');
  return id(name);
}

/** Renders fragments as plain SQL for `schema`. */
export function toSql(statement: Statement, schema: string): string {
  const forms = sqlForms(schema);
  return statement
    .map((f) => {
      if (f.kind === 'text') return fillOwnSchema(f.text, forms);
      if (f.kind === 'schema') return quoteIdent(schema);
      const parts = f.qualified ? [schema, ...f.parts] : f.parts;
      return parts.map(quoteIdent).join('.');
    })
    .join('');
}

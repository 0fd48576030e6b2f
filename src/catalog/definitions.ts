/**
 * Cuts the schema-qualified names that pg_get_indexdef, pg_get_triggerdef and
 * pg_get_functiondef always print out of their text, so that a definition does not
 * carry the schema's name.
 */
import { markOwnSchema } from '../schema/own-schema';
import { readQualifiedName } from '../schema/sql-text';

/** `CREATE UNIQUE INDEX i ON ONLY s.t USING btree (a)` -> `{ only: true, definition: 'btree (a)' }`. */
export function splitIndexDefinition(definition: string, qualifiedTable: string): { only: boolean; definition: string } {
  // the usual case, without parsing the index's name: ` ON s.t USING ` occurs once
  for (const only of [false, true]) {
    const marker = ` ON ${only ? 'ONLY ' : ''}${qualifiedTable} USING `;
    const at = definition.indexOf(marker);
    if (at > 0 && definition.indexOf(marker, at + 1) < 0 && /^CREATE (UNIQUE )?INDEX /.test(definition)) {
      return { only, definition: definition.slice(at + marker.length) };
    }
  }
  const head = /^CREATE (UNIQUE )?INDEX /.exec(definition);
  if (!head) throw new Error(`unexpected index definition: ${definition}`);
  const name = readQualifiedName(definition, head[0].length);
  if (!name) throw new Error(`unexpected index definition: ${definition}`);
  let rest = definition.slice(name.end);
  if (!rest.startsWith(' ON ')) throw new Error(`unexpected index definition: ${definition}`);
  rest = rest.slice(4);
  const only = rest.startsWith('ONLY ');
  if (only) rest = rest.slice(5);
  if (!rest.startsWith(qualifiedTable + ' USING ')) throw new Error(`unexpected index definition: ${definition}`);
  return { only, definition: rest.slice(qualifiedTable.length + 7) };
}

/**
 * `CREATE TRIGGER x BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION f()` ->
 * `{ events: 'BEFORE INSERT', body: 'FOR EACH ROW EXECUTE FUNCTION f()' }`.
 */
export function splitTriggerDefinition(definition: string, qualifiedTable: string): { constraint: boolean; events: string; body: string } {
  const head = /^CREATE (CONSTRAINT )?TRIGGER /.exec(definition);
  if (!head) throw new Error(`unexpected trigger definition: ${definition}`);
  const name = readQualifiedName(definition, head[0].length);
  if (!name) throw new Error(`unexpected trigger definition: ${definition}`);
  const marker = ' ON ' + qualifiedTable + ' ';
  const at = definition.indexOf(marker, name.end);
  if (at < 0) throw new Error(`unexpected trigger definition: ${definition}`);
  return {
    constraint: head[1] !== undefined,
    events: definition.slice(name.end + 1, at),
    body: definition.slice(at + marker.length),
  };
}

/**
 * Drops `CREATE OR REPLACE FUNCTION s.f` from pg_get_functiondef: what remains starts at `(`.
 * Mentions of the schema itself (qualifiers, `'s'` literals, the `SET search_path` entry) become
 * the own-schema sentinels of {@link markOwnSchema}.
 */
export function splitRoutineDefinition(definition: string, qualifiedName: string, schema: string): string {
  for (const kind of ['FUNCTION', 'PROCEDURE']) {
    const prefix = `CREATE OR REPLACE ${kind} ${qualifiedName}`;
    if (!definition.startsWith(prefix)) continue;
    return markOwnSchema(definition.slice(prefix.length).replace(/\s+$/, '') + '\n', schema);
  }
  throw new Error(`unexpected routine definition: ${definition.slice(0, 200)}`);
}

/**
 * PostgreSQL does not deparse `col IN ('a', 'b')` on a varchar column to a fixpoint: the first
 * deparse is `(ARRAY['a'::character varying, ...])::text[]`, and creating a constraint from that
 * text stores `ARRAY[('a'::character varying)::text, ...]`, which then stays stable. Both forms
 * mean the same; this rewrites the first into the second so that a constraint created from the
 * model and one created from a generated revision compare equal.
 *
 * It papers over one case of what the diff's `normalize` option solves in general (views
 * have the same problem, see `definition-differences.ts`); it stays while a diff may run
 * without normal forms, which is every diff that has no dev database to round-trip through.
 */
export function canonicalArrayCasts(definition: string): string {
  return definition.replace(/\(ARRAY\[((?:'(?:[^']|'')*'::[a-z ]+(?:\(\d+(?:,\d+)?\))?(?:, )?)+)\]\)::([a-z ]+)\[\]/g, (_m, items: string, type: string) => {
    const elements = items.match(/'(?:[^']|'')*'::[a-z ]+(?:\(\d+(?:,\d+)?\))?/g) ?? [];
    return `ARRAY[${elements.map((e) => `(${e})::${type}`).join(', ')}]`;
  });
}

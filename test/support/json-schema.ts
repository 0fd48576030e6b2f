/**
 * A validator for the subset of JSON Schema (draft 2020-12) that docs/json-output.schema.json uses:
 * type, properties, required, additionalProperties: false, items, enum, const, pattern, minimum,
 * allOf, if/then/else, not and local $ref. A keyword outside the subset throws, so the schema
 * cannot use one that this validator would silently ignore.
 */
type Schema = { readonly [keyword: string]: unknown } | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description']);
const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'pattern',
  'minimum',
  'allOf',
  'if',
  'then',
  'else',
  'not',
  '$ref',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** The errors of `value` against `schema` (empty: valid), each with the JSON pointer where it is. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '', errors);
  return errors;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
  if (node === undefined) throw new Error(`$ref ${ref} points nowhere`);
  return node as Schema;
}

function check(root: Schema, schema: Schema, value: unknown, at: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${at || '/'}: not allowed here`);
    return;
  }
  for (const k of Object.keys(schema)) if (!KNOWN.has(k) && !ANNOTATIONS.has(k)) throw new Error(`unsupported JSON Schema keyword "${k}" at ${at || '/'}`);
  const s = schema as Record<string, unknown>;
  if (s.$ref !== undefined) check(root, resolveRef(root, s.$ref as string), value, at, errors);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push(`${at || '/'}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return;
    }
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) errors.push(`${at || '/'}: expected ${JSON.stringify(s.const)}`);
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${at || '/'}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if (s.pattern !== undefined && typeof value === 'string' && !new RegExp(s.pattern as string, 'u').test(value))
    errors.push(`${at || '/'}: ${JSON.stringify(value)} does not match ${s.pattern as string}`);
  if (s.minimum !== undefined && typeof value === 'number' && value < (s.minimum as number))
    errors.push(`${at || '/'}: ${value} is below ${s.minimum as number}`);
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${at || '/'}: "${key}" is required`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (key in props) check(root, props[key]!, v, `${at}/${key}`, errors);
      else if (s.additionalProperties === false) errors.push(`${at || '/'}: "${key}" is not allowed`);
    }
  }
  if (s.items !== undefined && Array.isArray(value)) value.forEach((item, i) => check(root, s.items as Schema, item, `${at}/${i}`, errors));
  for (const sub of (s.allOf as Schema[] | undefined) ?? []) check(root, sub, value, at, errors);
  if (s.not !== undefined && validateAt(root, s.not as Schema, value)) errors.push(`${at || '/'}: matches a schema it must not match`);
  if (s.if !== undefined) {
    const branch = validateAt(root, s.if as Schema, value) ? s.then : s.else;
    if (branch !== undefined) check(root, branch as Schema, value, at, errors);
  }
}

function validateAt(root: Schema, schema: Schema, value: unknown): boolean {
  const errors: string[] = [];
  check(root, schema, value, '', errors);
  return errors.length === 0;
}

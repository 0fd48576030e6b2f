/**
 * Which column type changes keep every value (and so are not destructive).
 */
const widening: Record<string, readonly string[]> = {
  smallint: ['integer', 'bigint', 'numeric', 'real', 'double precision'],
  integer: ['bigint', 'numeric', 'double precision'],
  bigint: ['numeric'],
  real: ['double precision'],
  text: [],
};

/**
 * True when converting `from` to `to` keeps every value: widening numbers, lengthening
 * strings, dropping a length or precision limit. Types are `format_type` text.
 *
 * @example
 * ```ts
 * isWidening('character varying(20)', 'character varying(40)') // true
 * isWidening('bigint', 'integer') // false
 * ```
 */
export function isWidening(from: string, to: string): boolean {
  if (widening[from]?.includes(to)) return true;
  const sized = (type: string) => /^(character varying|character|bit varying)\((\d+)\)$/.exec(type);
  const a = sized(from);
  if (a) {
    if (to === 'text' || to === 'character varying') return a[1] !== 'bit varying';
    if (to === a[1] && a[1] !== 'character') return true;
    const b = sized(to);
    if (b && Number(b[2]) >= Number(a[2]) && (b[1] === a[1] || (a[1] === 'character' && b[1] === 'character varying'))) return true;
  }
  if (from.startsWith('numeric(') && to === 'numeric') return true;
  const num = (type: string) => /^numeric\((\d+),(\d+)\)$/.exec(type);
  const x = num(from);
  const y = num(to);
  return !!x && !!y && Number(y[2]) >= Number(x[2]) && Number(y[1]) - Number(y[2]) >= Number(x[1]) - Number(x[2]);
}

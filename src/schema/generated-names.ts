/**
 * PostgreSQL's default names for constraints, indexes and sequences (`t_pkey`, `t_a_key`,
 * `t_a_b_fkey`, `t_price_check`, `t_lower_idx`, `t_id_seq`), reproduced so the diff can
 * compare such objects by definition rather than by a name nobody chose.
 */

import type { Constraint, Index, Table } from './snapshot';

const NAMEDATALEN = 64;

function byteLength(text: string): number {
  // names are nearly always ASCII: one byte per character
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

/** The longest prefix of `text` that fits in `bytes` bytes without splitting a character. */
function clip(text: string, bytes: number): string {
  if (byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = byteLength(ch);
    if (used + size > bytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/**
 * PostgreSQL's `makeObjectName`: `name1_name2_label`, shortened to 63 bytes by trimming
 * the longer of `name1` and `name2` first.
 *
 * @example
 * ```ts
 * makeObjectName('orders', 'customer_id', 'fkey') // 'orders_customer_id_fkey'
 * ```
 */
export function makeObjectName(name1: string, name2: string | null, label: string | null): string {
  let overhead = 0;
  let name1chars = byteLength(name1);
  let name2chars = 0;
  if (name2 !== null) {
    name2chars = byteLength(name2);
    overhead++;
  }
  if (label !== null) overhead += byteLength(label) + 1;
  const available = NAMEDATALEN - 1 - overhead;
  while (name1chars + name2chars > available) {
    if (name1chars > name2chars) name1chars--;
    else name2chars--;
  }
  let name = clip(name1, name1chars);
  if (name2 !== null) name += '_' + clip(name2, name2chars);
  if (label !== null) name += '_' + label;
  return name;
}

/** Column names joined by `_`, as `ChooseIndexNameAddition` does (stops past 63 bytes). */
export function nameAddition(columns: readonly string[]): string | null {
  if (columns.length === 0) return null;
  let out = '';
  for (const column of columns) {
    if (out.length > 0) out += '_';
    out += column;
    if (byteLength(out) >= NAMEDATALEN) break;
  }
  return out;
}

/**
 * True when `name` is exactly what PostgreSQL would generate first for `name1`/`name2`/`label`.
 * The numbered variants it falls back to on a collision (`t_pkey1`, left behind when a table
 * is re-created while the old one still holds `t_pkey`) are real names: a schema that has
 * them differs from one that has `t_pkey`.
 *
 * @example
 * ```ts
 * isGeneratedName('t_a_key', 't', 'a', 'key') // true
 * isGeneratedName('t_a_key1', 't', 'a', 'key') // false
 * ```
 */
export function isGeneratedName(name: string, name1: string, name2: string | null, label: string): boolean {
  return name === makeObjectName(name1, name2, label);
}

/** Label PostgreSQL appends for each kind of generated name. */
export const generatedLabel = {
  'primary key': 'pkey',
  unique: 'key',
  'foreign key': 'fkey',
  check: 'check',
  exclude: 'excl',
  index: 'idx',
  sequence: 'seq',
} as const;

/**
 * The name PostgreSQL gives a partition's index or constraint when it makes it for the
 * parent's (with the parent's index, or when the partition is created or attached).
 */
export function automaticName(table: string, item: { readonly kind: 'index' | Constraint['kind']; readonly columns: readonly string[] }): string {
  switch (item.kind) {
    case 'index':
      return makeObjectName(table, nameAddition(item.columns), generatedLabel.index);
    case 'primary key':
      return makeObjectName(table, null, generatedLabel['primary key']);
    case 'check':
      return makeObjectName(table, item.columns.length === 1 ? item.columns[0]! : null, generatedLabel.check);
    default:
      // a partition's copy of a foreign key keeps the parent's name; this is not used for it
      return makeObjectName(table, nameAddition(item.columns), generatedLabel[item.kind]);
  }
}

/**
 * The indexes and constraints a new partition holds for its parent, with the name PostgreSQL
 * gives each; `ambiguous` when several get the same one (PostgreSQL then numbers them in the
 * order of the parent's, which a snapshot does not record).
 */
export function automaticNames(table: Table): { item: Index | Constraint; auto: string; ambiguous: boolean }[] {
  const out: { item: Index | Constraint; auto: string; ambiguous: boolean }[] = [];
  for (const c of table.constraints) {
    if (c.attachedTo !== null && c.kind !== 'foreign key') out.push({ item: c, auto: automaticName(table.name, c), ambiguous: false });
  }
  for (const i of table.indexes) {
    if (i.attachedTo !== null) out.push({ item: i, auto: automaticName(table.name, { kind: 'index', columns: i.columns }), ambiguous: false });
  }
  return out.map((x) => ({ ...x, ambiguous: out.filter((y) => y.auto === x.auto).length > 1 }));
}

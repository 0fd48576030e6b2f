/**
 * Rename decisions. The diff never guesses silently: hints (`table:old=new`,
 * `column:table.old=new`) are taken as given, and the remaining dropped/added pairs go to
 * an injectable resolver (drizzle-kit style). The default resolver proposes a rename when
 * a dropped and an added table (or column) have the same shape, flagged for review.
 */
import { ConfigError } from '../errors';
import type { Column, Snapshot, Table } from '../schema/snapshot';
import { compareText } from '../schema/normalize-snapshot';

/** What a resolver is asked: which dropped names might be renamed to which added ones. */
export interface RenameCandidates {
  readonly kind: 'table' | 'column';
  /** For columns, the table (its name after any table rename). */
  readonly table: string | null;
  readonly dropped: readonly string[];
  readonly added: readonly string[];
}

export interface RenameDecision {
  readonly from: string;
  readonly to: string;
  /** A guess the user must confirm; the renderer writes a `REVIEW` comment. */
  readonly review?: boolean;
}

/**
 * Decides which dropped names are renamed to which added names. Must be synchronous and
 * pure (the diff is); a CLI that asks the user collects the answers first and passes hints.
 */
export type RenameResolver = (candidates: RenameCandidates, snapshots: { readonly from: Snapshot; readonly to: Snapshot }) => readonly RenameDecision[];

/** Resolver that never renames: drop and add. */
export const noRenames: RenameResolver = () => [];

function tableShape(table: Table): string {
  const columns = table.columns.map((c) => `${c.name} ${c.type}`).sort(compareText);
  return JSON.stringify([columns, table.partitionKey, table.persistence]);
}

function columnShape(column: Column): string {
  return JSON.stringify([column.type, column.collation, column.generated !== null, column.identity !== null]);
}

function pairUnique(dropped: readonly string[], added: readonly string[], shape: (name: string, side: 'from' | 'to') => string): RenameDecision[] {
  const byShape = new Map<string, { dropped: string[]; added: string[] }>();
  const entry = (s: string) => {
    let e = byShape.get(s);
    if (!e) byShape.set(s, (e = { dropped: [], added: [] }));
    return e;
  };
  for (const d of dropped) entry(shape(d, 'from')).dropped.push(d);
  for (const a of added) entry(shape(a, 'to')).added.push(a);
  const out: RenameDecision[] = [];
  for (const e of byShape.values()) {
    if (e.dropped.length === 1 && e.added.length === 1) out.push({ from: e.dropped[0]!, to: e.added[0]!, review: true });
  }
  return out;
}

/**
 * The default resolver: a dropped and an added table with the same columns (names and
 * types), or a dropped and an added column of the same type in one table, are proposed as
 * a rename with `review: true`, when the match is unambiguous.
 */
export const renameByShape: RenameResolver = (candidates, { from, to }) => {
  if (candidates.kind === 'table') {
    const fromTables = new Map(from.tables.map((t) => [t.name, t]));
    const toTables = new Map(to.tables.map((t) => [t.name, t]));
    return pairUnique(candidates.dropped, candidates.added, (name, side) => tableShape((side === 'from' ? fromTables : toTables).get(name)!));
  }
  const toTable = to.tables.find((t) => t.name === candidates.table);
  const fromTable = from.tables.find((t) => t.name === candidates.table);
  if (!toTable || !fromTable) return [];
  const fromColumns = new Map(fromTable.columns.map((c) => [c.name, c]));
  const toColumns = new Map(toTable.columns.map((c) => [c.name, c]));
  return pairUnique(candidates.dropped, candidates.added, (name, side) => columnShape((side === 'from' ? fromColumns : toColumns).get(name)!));
};

/** A parsed hint. */
export interface RenameHint {
  readonly kind: 'table' | 'column';
  readonly table: string | null;
  readonly from: string;
  readonly to: string;
}

function readName(text: string, start: number, stops: string): { name: string; end: number } {
  if (text[start] === '"') {
    let i = start + 1;
    let name = '';
    while (i < text.length) {
      if (text[i] === '"') {
        if (text[i + 1] === '"') {
          name += '"';
          i += 2;
          continue;
        }
        return { name, end: i + 1 };
      }
      name += text[i];
      i++;
    }
    throw new Error('unterminated quote');
  }
  let i = start;
  while (i < text.length && !stops.includes(text[i]!)) i++;
  return { name: text.slice(start, i), end: i };
}

/**
 * Parses `table:old=new` and `column:table.old=new` (names may be double-quoted).
 *
 * @example
 * ```ts
 * parseRenameHint('column:orders.qty=quantity') // { kind: 'column', table: 'orders', from: 'qty', to: 'quantity' }
 * ```
 */
export function parseRenameHint(hint: string): RenameHint {
  const fail = () => new ConfigError('INVALID_RENAME_HINT', `Rename hint "${hint}" is not "table:old=new" or "column:table.old=new".`);
  try {
    const colon = hint.indexOf(':');
    const kind = hint.slice(0, colon);
    if (kind !== 'table' && kind !== 'column') throw fail();
    let at = colon + 1;
    let table: string | null = null;
    if (kind === 'column') {
      const t = readName(hint, at, '.');
      if (hint[t.end] !== '.' || t.name === '') throw fail();
      table = t.name;
      at = t.end + 1;
    }
    const from = readName(hint, at, '=');
    if (hint[from.end] !== '=' || from.name === '') throw fail();
    const to = readName(hint, from.end + 1, '');
    if (to.end !== hint.length || to.name === '') throw fail();
    return { kind, table, from: from.name, to: to.name };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw fail();
  }
}

/** Table renames (old -> new) and column renames per table (new table name -> old -> new). */
export interface ResolvedRenames {
  readonly tables: ReadonlyMap<string, RenameDecision>;
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, RenameDecision>>;
}

function validate(decisions: readonly RenameDecision[], dropped: readonly string[], added: readonly string[], what: string): void {
  const seenFrom = new Set<string>();
  const seenTo = new Set<string>();
  for (const d of decisions) {
    if (!dropped.includes(d.from) || !added.includes(d.to) || seenFrom.has(d.from) || seenTo.has(d.to)) {
      throw new ConfigError(
        'INVALID_RENAME',
        `Cannot rename ${what} "${d.from}" to "${d.to}": "${d.from}" must exist only before and "${d.to}" only after, each renamed once.`,
      );
    }
    seenFrom.add(d.from);
    seenTo.add(d.to);
  }
}

function sameNames(a: Table, b: Table): boolean {
  if (a.columns.length !== b.columns.length) return false;
  const names = new Set(a.columns.map((c) => c.name));
  return b.columns.every((c) => names.has(c.name));
}

/** Applies hints, then asks the resolver about what is left. */
export function resolveRenames(from: Snapshot, to: Snapshot, hints: readonly (string | RenameHint)[], resolver: RenameResolver): ResolvedRenames {
  const parsed = hints.map((h) => (typeof h === 'string' ? parseRenameHint(h) : h));
  const fromTables = new Set(from.tables.map((t) => t.name));
  const toTables = new Set(to.tables.map((t) => t.name));
  const droppedTables = [...fromTables].filter((t) => !toTables.has(t));
  const addedTables = [...toTables].filter((t) => !fromTables.has(t));

  const tableHints = parsed.filter((h) => h.kind === 'table').map((h) => ({ from: h.from, to: h.to }));
  validate(tableHints, droppedTables, addedTables, 'table');
  const tableDecisions: RenameDecision[] = [...tableHints];
  const restDropped = droppedTables.filter((t) => !tableHints.some((h) => h.from === t));
  const restAdded = addedTables.filter((t) => !tableHints.some((h) => h.to === t));
  if (restDropped.length > 0 && restAdded.length > 0) {
    const answers = resolver({ kind: 'table', table: null, dropped: restDropped, added: restAdded }, { from, to });
    validate(answers, restDropped, restAdded, 'table');
    tableDecisions.push(...answers);
  }
  const tables = new Map(tableDecisions.map((d) => [d.from, d]));
  const newName = (old: string) => tables.get(old)?.to ?? old;

  const columns = new Map<string, Map<string, RenameDecision>>();
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  const hintedTables = new Set(parsed.filter((h) => h.kind === 'column').map((h) => h.table));
  for (const fromTable of from.tables) {
    const name = newName(fromTable.name);
    const toTable = toByName.get(name);
    if (!toTable) continue;
    // the same column names on both sides and no hint: nothing to rename
    if (!hintedTables.has(name) && !hintedTables.has(fromTable.name) && sameNames(fromTable, toTable)) continue;
    // only columns the tables declare themselves; a name present on both sides is not renamed
    const fromColumns = new Set(fromTable.columns.map((c) => c.name));
    const toColumns = new Set(toTable.columns.map((c) => c.name));
    const dropped = fromTable.columns.filter((c) => c.local && !toColumns.has(c.name)).map((c) => c.name);
    const added = toTable.columns.filter((c) => c.local && !fromColumns.has(c.name)).map((c) => c.name);
    const hinted = parsed.filter((h) => h.kind === 'column' && (h.table === name || h.table === fromTable.name)).map((h) => ({ from: h.from, to: h.to }));
    validate(hinted, dropped, added, `column of "${name}"`);
    const decisions: RenameDecision[] = [...hinted];
    const restD = dropped.filter((c) => !hinted.some((h) => h.from === c));
    const restA = added.filter((c) => !hinted.some((h) => h.to === c));
    if (restD.length > 0 && restA.length > 0) {
      // the resolver sees the table under its new name in both snapshots
      const fromView: Snapshot = { ...from, tables: [{ ...fromTable, name }] };
      const answers = resolver({ kind: 'column', table: name, dropped: restD, added: restA }, { from: fromView, to });
      validate(answers, restD, restA, `column of "${name}"`);
      decisions.push(...answers);
    }
    if (decisions.length > 0) columns.set(name, new Map(decisions.map((d) => [d.from, d])));
  }
  for (const h of parsed) {
    if (h.kind === 'column' && !columns.get(newName(h.table ?? ''))?.has(h.from) && !columns.get(h.table ?? '')?.has(h.from)) {
      throw new ConfigError('INVALID_RENAME', `Cannot rename column "${h.table}"."${h.from}": no such table or column.`);
    }
  }
  return { tables, columns };
}

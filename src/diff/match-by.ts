/** Pairs items by a match key (duplicates pair in order). */
export function matchBy<T>(from: readonly T[], to: readonly T[], key: (item: T) => string): { pairs: [T, T][]; dropped: T[]; added: T[] } {
  const pool = new Map<string, T[]>();
  for (const t of to) {
    const k = key(t);
    const list = pool.get(k);
    if (list) list.push(t);
    else pool.set(k, [t]);
  }
  const pairs: [T, T][] = [];
  const dropped: T[] = [];
  for (const f of from) {
    const list = pool.get(key(f));
    const match = list?.shift();
    if (match !== undefined) pairs.push([f, match]);
    else dropped.push(f);
  }
  const used = new Set(pairs.map(([, t]) => t));
  return { pairs, dropped, added: to.filter((t) => !used.has(t)) };
}

import type { SequenceOptions } from './snapshot';

/**
 * What a reader must know when a sequence's bounds close in past where it may already be:
 * the renderers move its current value inside the new bounds (`sequenceBoundStatements`), and
 * a sequence that already gave values beyond the new far end is left at that end.
 *
 * @example
 * ```ts
 * sequenceBoundNote('s', { ...options, maxValue: '100' }, { ...options, maxValue: '30' })
 * // 'sequence "s" gets MAXVALUE 30: if it already gave values past it, it is left at 30 ...'
 * ```
 */
export function sequenceBoundNote(name: string, from: SequenceOptions, to: SequenceOptions): string | null {
  const ascending = !to.increment.startsWith('-');
  const [was, now] = ascending ? [from.maxValue, to.maxValue] : [from.minValue, to.minValue];
  const closes = ascending ? BigInt(now) < BigInt(was) : BigInt(now) > BigInt(was);
  if (!closes) return null;
  const bound = ascending ? 'MAXVALUE' : 'MINVALUE';
  return `sequence "${name}" gets ${bound} ${now}: if it already gave values past it, it is left at ${now} and nextval fails until it is restarted`;
}

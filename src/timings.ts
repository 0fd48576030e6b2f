/**
 * Where a command's time goes, for `RETORT_TIMINGS=1` (printed by the CLI to stderr at the end)
 * and for scripts/bench/. Off unless started: then every mark is one branch.
 *
 * Marks are milliseconds since the process started (`performance.now()`); queries are timed by
 * Kysely's log hook around each statement, so `queryMs` is the time spent waiting on the server
 * (round trip included).
 */
export interface Timings {
  readonly marks: Record<string, number>;
  queries: number;
  queryMs: number;
}

let current: Timings | undefined;

export function startTimings(): void {
  current = { marks: {}, queries: 0, queryMs: 0 };
}

export function timingsEnabled(): boolean {
  return current !== undefined;
}

/** Records when `name` happened (the first time only, so a loop marks its start). */
export function mark(name: string): void {
  if (current && current.marks[name] === undefined) current.marks[name] = performance.now();
}

/** Like `mark`, but the last time wins (the end of a loop). */
export function markLast(name: string): void {
  if (current) current.marks[name] = performance.now();
}

export function recordQuery(durationMs: number): void {
  if (!current) return;
  current.queries++;
  current.queryMs += durationMs;
}

export function takeTimings(): Timings | undefined {
  return current;
}

/**
 * One line: `timings: start 52 ms, ready 71 ms, connected 80 ms, first step 84 ms, last step 3120 ms,
 * done 3161 ms; 2011 queries, 2790 ms waiting on the server`.
 */
export function formatTimings(t: Timings): string {
  const order = ['main', 'loaded', 'connected', 'firstStep', 'lastStep', 'committed', 'done'];
  const label: Record<string, string> = {
    main: 'start',
    loaded: 'revisions loaded',
    connected: 'connected',
    firstStep: 'first step',
    lastStep: 'last step',
    committed: 'committed',
    done: 'done',
  };
  const parts = order.filter((k) => t.marks[k] !== undefined).map((k) => `${label[k]} ${Math.round(t.marks[k]!)} ms`);
  return `timings: ${parts.join(', ')}; ${t.queries} queries, ${Math.round(t.queryMs)} ms waiting on the server`;
}

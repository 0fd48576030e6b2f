/**
 * Reads a trigger of a snapshot (pg_get_triggerdef cut around the table: `events` and `body`)
 * into the parts `trigger()` takes, checked by printing them back the way PostgreSQL does.
 */
import type { Trigger } from '../schema/snapshot';
import { quoteIdentIfNeeded, quoteLiteral } from '../schema/sql-text';
import { SqlReader, UnexpectedSql } from './sql-reader';

type Event = 'insert' | 'delete' | 'update' | 'truncate';

export interface ParsedTrigger {
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: Event[];
  readonly updateOf: string[];
  readonly from?: string[];
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly oldTable?: string;
  readonly newTable?: string;
  readonly forEach: 'row' | 'statement';
  readonly when?: string;
  /** `[name]` for a function of the schema, `[schema, name]` for one of another. */
  readonly function: string[];
  readonly args: string[];
}

const qi = quoteIdentIfNeeded;

function parseEvents(text: string): Pick<ParsedTrigger, 'timing' | 'events' | 'updateOf'> {
  const r = new SqlReader(text);
  const timing = r.take('BEFORE ') ? 'before' : r.take('AFTER ') ? 'after' : r.take('INSTEAD OF ') ? 'instead of' : undefined;
  if (!timing) throw new UnexpectedSql('unknown trigger timing');
  const events: Event[] = [];
  let updateOf: string[] = [];
  do {
    const event = (['INSERT', 'DELETE', 'UPDATE', 'TRUNCATE'] as const).find((e) => r.take(e));
    if (!event) throw new UnexpectedSql('unknown trigger event');
    events.push(event.toLowerCase() as Event);
    if (event === 'UPDATE' && r.take(' OF ')) {
      updateOf = [];
      do updateOf.push(r.name()[0]!);
      while (r.take(', '));
    }
  } while (r.take(' OR '));
  if (!r.done) throw new UnexpectedSql('unexpected text after the trigger events');
  return { timing, events, updateOf };
}

function parseBody(text: string, constraint: boolean): Omit<ParsedTrigger, 'timing' | 'events' | 'updateOf'> {
  const r = new SqlReader(text);
  const from = r.take('FROM ') ? r.name() : undefined;
  if (from) r.expect(' ');
  let deferrable = false;
  let initiallyDeferred = false;
  if (constraint) {
    deferrable = !r.take('NOT ');
    r.expect('DEFERRABLE INITIALLY ');
    initiallyDeferred = r.take('DEFERRED ');
    if (!initiallyDeferred) r.expect('IMMEDIATE ');
  }
  let oldTable: string | undefined;
  let newTable: string | undefined;
  if (r.take('REFERENCING ')) {
    if (r.take('OLD TABLE AS ')) {
      oldTable = r.name()[0];
      r.expect(' ');
    }
    if (r.take('NEW TABLE AS ')) {
      newTable = r.name()[0];
      r.expect(' ');
    }
  }
  r.expect('FOR EACH ');
  const forEach = r.take('ROW ') ? 'row' : r.take('STATEMENT ') ? 'statement' : undefined;
  if (!forEach) throw new UnexpectedSql('FOR EACH what');
  let when: string | undefined;
  if (r.take('WHEN ')) {
    when = r.group();
    r.expect(' ');
  }
  r.expect('EXECUTE FUNCTION ');
  const fn = r.name();
  const args: string[] = [];
  r.expect('(');
  while (!r.take(')')) {
    args.push(r.literal());
    r.take(', ');
  }
  if (!r.done) throw new UnexpectedSql('unexpected text after the trigger function');
  return {
    ...(from ? { from } : {}),
    deferrable,
    initiallyDeferred,
    ...(oldTable === undefined ? {} : { oldTable }),
    ...(newTable === undefined ? {} : { newTable }),
    forEach,
    ...(when === undefined ? {} : { when }),
    function: fn,
    args,
  };
}

/** `events` and `body` as pg_get_triggerdef prints them for these parts. */
export function triggerTexts(t: ParsedTrigger, constraint: boolean): { events: string; body: string } {
  const events = t.events.map((e) => (e === 'update' && t.updateOf.length > 0 ? `UPDATE OF ${t.updateOf.map(qi).join(', ')}` : e.toUpperCase())).join(' OR ');
  let body = t.from ? `FROM ${t.from.map(qi).join('.')} ` : '';
  if (constraint) body += `${t.deferrable ? '' : 'NOT '}DEFERRABLE INITIALLY ${t.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'} `;
  if (t.oldTable !== undefined || t.newTable !== undefined) {
    body += 'REFERENCING ';
    if (t.oldTable !== undefined) body += `OLD TABLE AS ${qi(t.oldTable)} `;
    if (t.newTable !== undefined) body += `NEW TABLE AS ${qi(t.newTable)} `;
  }
  body += `FOR EACH ${t.forEach.toUpperCase()} `;
  if (t.when !== undefined) body += `WHEN (${t.when}) `;
  body += `EXECUTE FUNCTION ${t.function.map(qi).join('.')}(${t.args.map(quoteLiteral).join(', ')})`;
  return { events: `${t.timing.toUpperCase()} ${events}`, body };
}

/** The parts of a trigger, or undefined when its text has a shape this reader does not know. */
export function readTrigger(trigger: Trigger): ParsedTrigger | undefined {
  try {
    const parsed = { ...parseEvents(trigger.events), ...parseBody(trigger.body, trigger.constraint) };
    const printed = triggerTexts(parsed, trigger.constraint);
    return printed.events === trigger.events && printed.body === trigger.body ? parsed : undefined;
  } catch (error) {
    if (error instanceof UnexpectedSql) return undefined;
    throw error;
  }
}

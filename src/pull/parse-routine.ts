/**
 * Reads a routine of a snapshot (pg_get_functiondef's text after the name, and
 * pg_get_function_arguments) into the parts `pgFunction()` and `procedure()` take, and checks
 * them by printing the definition back the way PostgreSQL does.
 */
import { assertNever } from '../errors';
import type { Routine } from '../schema/snapshot';
import { quoteIdentIfNeeded, quoteLiteral } from '../schema/sql-text';
import { SqlReader, UnexpectedSql, splitTopLevel } from './sql-reader';

export interface ParsedArgument {
  readonly mode: 'in' | 'out' | 'inout' | 'variadic';
  readonly name?: string;
  readonly type: string;
  readonly default?: string;
}

export type ParsedBody =
  | { readonly kind: 'source'; readonly text: string; readonly tag: string }
  | { readonly kind: 'library'; readonly file: string; readonly symbol: string; readonly tag: string }
  | { readonly kind: 'atomic'; readonly text: string };

export interface ParsedRoutine {
  readonly args: ParsedArgument[];
  readonly window: boolean;
  readonly parallel?: 'safe' | 'restricted';
  readonly leakproof: boolean;
  readonly cost?: number;
  readonly rows?: number;
  /** `SET name TO value`, the value as printed. */
  readonly set: [string, string][];
  readonly body: ParsedBody;
}

const MODES = { 'IN ': 'in', 'OUT ': 'out', 'INOUT ': 'inout', 'VARIADIC ': 'variadic' } as const;
/** Types format_type prints as several words (without a type modifier). */
const MULTIWORD_TYPE = /^(double precision|character varying|bit varying|(timestamp|time) with(out)? time zone)(\[\])*$/;

function parseArgument(text: string): ParsedArgument {
  let mode: ParsedArgument['mode'] = 'in';
  for (const [prefix, m] of Object.entries(MODES)) {
    if (text.startsWith(prefix)) {
      mode = m;
      text = text.slice(prefix.length);
      break;
    }
  }
  const [head, ...rest] = splitTopLevel(text, ' DEFAULT ');
  const dflt = rest.length > 0 ? rest.join(' DEFAULT ') : undefined;
  let name: string | undefined;
  let type = head!;
  const r = new SqlReader(type);
  if (type.startsWith('"')) {
    const parts = r.name();
    if (r.take(' ')) {
      name = parts[0];
      type = r.rest;
    }
  } else if (/^[A-Za-z_][\w$]* /.test(type) && !MULTIWORD_TYPE.test(type)) {
    const space = type.indexOf(' ');
    name = type.slice(0, space);
    type = type.slice(space + 1);
  }
  return { mode, ...(name === undefined ? {} : { name }), type, ...(dflt === undefined ? {} : { default: dflt }) };
}

export function argumentsText(args: readonly ParsedArgument[], procedure: boolean): string {
  return args
    .map((a) => {
      const mode = a.mode === 'in' ? (procedure ? 'IN ' : '') : `${a.mode.toUpperCase()} `;
      return `${mode}${a.name === undefined ? '' : quoteIdentIfNeeded(a.name) + ' '}${a.type}${a.default === undefined ? '' : ` DEFAULT ${a.default}`}`;
    })
    .join(', ');
}

function parseOptions(
  line: string,
): Pick<ParsedRoutine, 'window' | 'parallel' | 'leakproof' | 'cost' | 'rows'> & { volatility?: string; strict: boolean; securityDefiner: boolean } {
  const r = new SqlReader(line);
  const window = r.take(' WINDOW');
  const volatility = r.take(' IMMUTABLE') ? 'immutable' : r.take(' STABLE') ? 'stable' : undefined;
  const parallel = r.take(' PARALLEL SAFE') ? ('safe' as const) : r.take(' PARALLEL RESTRICTED') ? ('restricted' as const) : undefined;
  const strict = r.take(' STRICT');
  const securityDefiner = r.take(' SECURITY DEFINER');
  const leakproof = r.take(' LEAKPROOF');
  const number = (keyword: string): number | undefined => {
    if (!r.take(keyword)) return undefined;
    const m = /^[0-9.e+-]+/.exec(r.rest);
    if (!m) throw new UnexpectedSql(`expected a number after ${keyword}`);
    r.pos += m[0].length;
    return Number(m[0]);
  };
  const cost = number(' COST ');
  const rows = number(' ROWS ');
  if (!r.done) throw new UnexpectedSql(`unexpected routine option ${JSON.stringify(r.rest)}`);
  return {
    window,
    ...(volatility ? { volatility } : {}),
    ...(parallel ? { parallel } : {}),
    strict,
    securityDefiner,
    leakproof,
    ...(cost === undefined ? {} : { cost }),
    ...(rows === undefined ? {} : { rows }),
  };
}

function parseBody(text: string, procedure: boolean): ParsedBody {
  if (!text.startsWith('AS ')) return { kind: 'atomic', text: text.replace(/\n$/, '') };
  const r = new SqlReader(text.slice(3));
  let file: string | undefined;
  if (r.rest.startsWith("'")) {
    file = r.literal();
    r.expect(', ');
  }
  const tag = /^\$[A-Za-z_]*\$/.exec(r.rest)?.[0];
  if (!tag || !tag.startsWith(procedure ? '$procedure' : '$function')) throw new UnexpectedSql('expected a dollar-quoted body');
  const end = r.rest.lastIndexOf(tag + '\n');
  if (end <= tag.length - 1 || end + tag.length + 1 !== r.rest.length) throw new UnexpectedSql('unterminated body');
  const source = r.rest.slice(tag.length, end);
  return file === undefined ? { kind: 'source', text: source, tag } : { kind: 'library', file, symbol: source, tag };
}

function bodyText(body: ParsedBody): string {
  switch (body.kind) {
    case 'atomic':
      return `${body.text}\n`;
    case 'source':
      return `AS ${body.tag}${body.text}${body.tag}\n`;
    case 'library':
      return `AS ${quoteLiteral(body.file)}, ${body.tag}${body.symbol}${body.tag}\n`;
    default:
      return assertNever(body, 'routine body');
  }
}

/** A number as C's `%g` prints it (pg_get_functiondef's COST and ROWS): `5`, `0.5`, `1e+06`. */
export function formatG(n: number): string {
  if (n === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = n.toExponential(5).split('e');
    const digits = mantissa!.replace(/\.?0+$/, '');
    const e = Number(exp);
    return `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(Number(n.toPrecision(6)));
}

/** The definition PostgreSQL would print for these parts (pg_get_functiondef after the name). */
export function routineText(routine: Routine, parsed: ParsedRoutine): string {
  const procedure = routine.kind === 'procedure';
  let out = `(${argumentsText(parsed.args, procedure)})\n`;
  if (!procedure) out += ` RETURNS ${routine.result}\n`;
  out += ` LANGUAGE ${quoteIdentIfNeeded(routine.language)}\n`;
  const options: string[] = [];
  if (parsed.window) options.push('WINDOW');
  if (routine.volatility !== 'volatile') options.push(routine.volatility.toUpperCase());
  if (parsed.parallel) options.push(`PARALLEL ${parsed.parallel.toUpperCase()}`);
  if (routine.strict) options.push('STRICT');
  if (routine.securityDefiner) options.push('SECURITY DEFINER');
  if (parsed.leakproof) options.push('LEAKPROOF');
  if (parsed.cost !== undefined) options.push(`COST ${formatG(parsed.cost)}`);
  if (parsed.rows !== undefined) options.push(`ROWS ${formatG(parsed.rows)}`);
  if (options.length > 0) out += ` ${options.join(' ')}\n`;
  for (const [name, value] of parsed.set) out += ` SET ${quoteIdentIfNeeded(name)} TO ${value}\n`;
  return out + bodyText(parsed.body);
}

/**
 * The parts of a routine, or undefined when its definition has a shape this reader does not
 * know (TRANSFORM, SUPPORT): the caller then says so rather than write something else.
 */
export function readRoutine(routine: Routine): ParsedRoutine | undefined {
  const procedure = routine.kind === 'procedure';
  try {
    const text = routine.definition;
    const head = `(${routine.arguments})\n`;
    if (!text.startsWith(head)) return undefined;
    const args = routine.arguments === '' ? [] : splitTopLevel(routine.arguments).map(parseArgument);
    const lines = text.slice(head.length).split('\n');
    let i = 0;
    if (!procedure) {
      if (lines[i] !== ` RETURNS ${routine.result}`) return undefined;
      i++;
    }
    if (!lines[i]?.startsWith(' LANGUAGE ')) return undefined;
    i++;
    let options = parseOptions('');
    if (lines[i]?.startsWith(' ') && !lines[i]!.startsWith(' SET ')) options = parseOptions(lines[i++]!);
    const set: [string, string][] = [];
    while (lines[i]?.startsWith(' SET ')) {
      const m = /^ SET ("(?:[^"]|"")+"|[\w.]+) TO (.*)$/.exec(lines[i++]!);
      if (!m) return undefined;
      set.push([new SqlReader(m[1]!).name().join('.'), m[2]!]);
    }
    const parsed: ParsedRoutine = {
      args,
      window: options.window,
      ...(options.parallel ? { parallel: options.parallel } : {}),
      leakproof: options.leakproof,
      ...(options.cost === undefined ? {} : { cost: options.cost }),
      ...(options.rows === undefined ? {} : { rows: options.rows }),
      set,
      body: parseBody(lines.slice(i).join('\n'), procedure),
    };
    return routineText(routine, parsed) === text ? parsed : undefined;
  } catch (error) {
    if (error instanceof UnexpectedSql) return undefined;
    throw error;
  }
}

/** What the parts of a pulled model's source share: the names they import and the consts of objects. */
import { RetortError } from '../errors';
import { objectKey } from '../schema/object-key';
import type { Snapshot } from '../schema/snapshot';
import { jsString, propertyKey } from './typescript-text';

/** Options of {@link renderModelSource}. */
export interface ModelSourceOptions {
  /** The package the model imports the DSL from. Default: the package's own name (`PACKAGE_NAME`). */
  readonly importFrom?: string;
  /** The SU role: a privileged object it owns needs no `owner` (building it as the SU role gives it). */
  readonly suRole?: string;
}

/** A pulled object the DSL cannot say faithfully. */
export function unsupported(what: string, text: string): never {
  throw new RetortError(
    'PULL_UNSUPPORTED',
    `${what} cannot be written in the model DSL as PostgreSQL prints it (${text.length > 200 ? text.slice(0, 200) + '...' : text}). Write it by hand in the pulled model, and report the case.`,
  );
}

export class SourceContext {
  /** DSL names the source uses (imported from the package), `type X` for types. */
  readonly uses = new Set<string>(['defineModel', 'type DatabaseOf']);
  readonly enums = new Map<string, string>();
  readonly domains = new Map<string, string>();
  readonly tables = new Map<string, string>();
  /** What each object depends on, by key. */
  readonly dependencies = new Map<string, string[]>();
  /** The name of each table, view and type, by key. */
  readonly names = new Map<string, string>();

  constructor(
    readonly snapshot: Snapshot,
    readonly options: ModelSourceOptions,
  ) {
    for (const d of snapshot.dependencies) this.dependencies.set(d.object, [...(this.dependencies.get(d.object) ?? []), d.dependsOn]);
    for (const t of snapshot.tables) this.names.set(objectKey.table(t.name), t.name);
    for (const v of snapshot.views) this.names.set(objectKey.view(v.name), v.name);
    for (const t of [...snapshot.enums, ...snapshot.domains]) this.names.set(objectKey.type(t.name), t.name);
  }

  use(...names: readonly string[]): void {
    for (const n of names) this.uses.add(n);
  }

  /** An owner worth writing: not the reading role (null), not the SU role of a privileged object. */
  owner(owner: string | null, privileged = false): string | undefined {
    if (owner === null) return undefined;
    if (privileged && owner === this.options.suRole) return undefined;
    return owner;
  }
}

/** A number of a sequence as the DSL takes it: a number when exact in JavaScript, else its digits. */
export function sequenceNumber(text: string): string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? String(n) : jsString(text);
}

type Entry = readonly [key: string, code: string | undefined];

/** `{ a: 1, b: 'x' }`, or one entry a line when long or when a value spans lines. Undefined values are left out. */
export function objectLiteral(entries: readonly Entry[], indent = ''): string {
  const present = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  if (present.length === 0) return '{}';
  const parts = present.map(([k, v]) => `${propertyKey(k)}: ${v}`);
  const flat = `{ ${parts.join(', ')} }`;
  if (flat.length + indent.length <= 100 && !flat.includes('\n')) return flat;
  return `{\n${parts.map((p) => `${indent}  ${p},`).join('\n')}\n${indent}}`;
}

/** `[a, b]`, or one item a line when long. */
export function arrayLiteral(items: readonly string[], indent = ''): string {
  const flat = `[${items.join(', ')}]`;
  if (flat.length + indent.length <= 100 && !flat.includes('\n')) return flat;
  return `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`;
}

export const strings = (values: readonly string[], indent = ''): string => arrayLiteral(values.map(jsString), indent);

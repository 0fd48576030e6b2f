import type { Operation } from '../operations/operation';
import type { ObjectKey } from '../schema/snapshot';

/** Order of phases when nothing else decides: drops, renames, types, routines, tables, ... */
export const Phase = {
  extensions: 0,
  drops: 10,
  renames: 20,
  types: 30,
  routines: 35,
  tables: 40,
  constraints: 50,
  views: 60,
  triggers: 65,
  privileges: 70,
} as const;

/** An operation plus what the orderer needs to know about it. */
export interface Planned {
  readonly op: Operation;
  readonly phase: number;
  /** Target-side objects this operation creates or changes. */
  readonly adds: readonly ObjectKey[];
  /** Source-side objects this operation drops or changes. */
  readonly removes: readonly ObjectKey[];
  /** Target-side objects that must exist first. */
  readonly requires: readonly ObjectKey[];
  /** Names taken (`rel:t`, `type:e`, `con:t.c`, ...). */
  readonly claims: readonly string[];
  /** Names released. */
  readonly frees: readonly string[];
  /** Only drops (no target-side effect). */
  readonly pureDrop: boolean;
  readonly rename: boolean;
  /** Operations that must run first. */
  readonly after: Planned[];
}

export interface PlanMeta {
  phase: number;
  adds?: readonly ObjectKey[];
  removes?: readonly ObjectKey[];
  requires?: readonly ObjectKey[];
  claims?: readonly string[];
  frees?: readonly string[];
  rename?: boolean;
}

export function plan(op: Operation, meta: PlanMeta): Planned {
  const adds = meta.adds ?? [];
  const removes = meta.removes ?? [];
  return {
    op,
    phase: meta.phase,
    adds,
    removes,
    requires: meta.requires ?? [],
    claims: meta.claims ?? [],
    frees: meta.frees ?? [],
    pureDrop: adds.length === 0 && removes.length > 0 && !meta.rename,
    rename: meta.rename ?? false,
    after: [],
  };
}

/** Name-space keys: relations (tables, views, sequences, indexes) share one, types another. */
export const names = {
  relation: (name: string) => `rel:${name}`,
  type: (name: string) => `type:${name}`,
  column: (table: string, name: string) => `col:${table}\u0000${name}`,
  constraint: (table: string, name: string) => `con:${table}\u0000${name}`,
  routine: (name: string, args: string) => `fn:${name}(${args})`,
  trigger: (table: string, name: string) => `trg:${table}\u0000${name}`,
  policy: (table: string, name: string) => `pol:${table}\u0000${name}`,
  extension: (name: string) => `ext:${name}`,
  collation: (name: string) => `coll:${name}`,
};

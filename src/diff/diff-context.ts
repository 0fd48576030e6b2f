/**
 * State shared by the parts of one diff: both snapshots (the source already under its new
 * names), their dependency graphs, the objects that must be dropped and created again,
 * and the planned operations.
 */
import type { Operation } from '../operations/operation';
import { keyKind, keyParts } from '../schema/object-key';
import type { ObjectKey, Snapshot } from '../schema/snapshot';
import type { DependencyGraph } from './dependency-graph';
import { buildDependencyGraph } from './dependency-graph';
import type { PlanMeta, Planned } from './planned';
import { plan } from './planned';

/** Why an object's source version goes away, which decides what must follow it. */
export type Break = 'full' | 'convert' | 'retype' | 'rename';

/** Kinds of dependants that must be dropped and created again, per kind of break. */
const rebuiltKinds: Record<Break, ReadonlySet<string>> = {
  // dropped or re-created: everything that refers to it
  full: new Set(['view', 'routine', 'trigger', 'policy', 'constraint', 'index', 'default']),
  // a column changes type with a cast: PostgreSQL rebuilds indexes, constraints and defaults
  // itself, but it cannot when their expressions do not convert (a default 'x'::text on a
  // column becoming integer, a check comparing with a text literal, a foreign key whose other
  // side keeps its type): these are dropped before and created again after
  convert: new Set(['view', 'trigger', 'policy', 'constraint', 'index', 'default']),
  // a column changes type by an implicit or assignment cast: PostgreSQL rebuilds indexes,
  // constraints and defaults itself, not these
  retype: new Set(['view', 'trigger', 'policy']),
  // renamed: views keep working but print the old name in the source snapshot
  rename: new Set(['view']),
};

const strength: Record<Break, number> = { rename: 0, retype: 1, convert: 2, full: 3 };

const tableParts: ReadonlySet<string> = new Set(['column', 'default', 'constraint', 'index']);

export class DiffContext {
  private fromGraphValue: DependencyGraph | undefined;
  private toGraphValue: DependencyGraph | undefined;
  /** Source-side keys of objects that also exist in the target (see {@link isKept}). */
  readonly kept = new Set<ObjectKey>();
  /** Tables equal on both sides: their parts are kept without being listed one by one. */
  readonly identicalTables = new Set<string>();
  /** Tables with a part (column, default, constraint, index) to drop and create again. */
  readonly tablesWithRebuilds = new Set<string>();
  /** Source-side keys whose source version goes away, and how. */
  readonly broken = new Map<ObjectKey, Break>();
  /** Objects (source keys) that exist on both sides but must be dropped and created again. */
  readonly rebuild = new Set<ObjectKey>();
  readonly planned: Planned[] = [];

  constructor(
    readonly from: Snapshot,
    readonly to: Snapshot,
    readonly renamedKeys: ReadonlySet<ObjectKey>,
  ) {}

  /** The source's dependency graph (built on first use: identical schemas never need it). */
  get fromGraph(): DependencyGraph {
    return (this.fromGraphValue ??= buildDependencyGraph(this.from));
  }

  get toGraph(): DependencyGraph {
    return (this.toGraphValue ??= buildDependencyGraph(this.to));
  }

  /** Records that `key`'s source version goes away. */
  breaks(key: ObjectKey, how: Break = 'full'): void {
    const current = this.broken.get(key);
    if (current !== undefined && strength[current] >= strength[how]) return;
    this.broken.set(key, how);
  }

  /** Marks an object that exists on both sides to be dropped and created again. */
  rebuildObject(key: ObjectKey): void {
    this.rebuild.add(key);
    this.breaks(key, 'full');
  }

  /**
   * Follows the source graph from every broken object to the dependants that must be
   * dropped first and created again afterwards (a view on a column whose type changes,
   * a foreign key on a primary key that is re-created, ...).
   */
  propagate(): void {
    for (const key of this.renamedKeys) this.breaks(key, 'rename');
    const queue = [...this.broken.entries()];
    while (queue.length > 0) {
      const [key, how] = queue.pop()!;
      for (const dependant of this.fromGraph.dependantsOf(key)) {
        if (!rebuiltKinds[how].has(keyKind(dependant))) continue;
        if (this.broken.get(dependant) === 'full') continue;
        if (this.isKept(dependant)) {
          this.rebuild.add(dependant);
          if (tableParts.has(keyKind(dependant))) this.tablesWithRebuilds.add(keyParts(dependant)[0]!);
        }
        this.broken.set(dependant, 'full');
        queue.push([dependant, 'full']);
      }
    }
  }

  /** True when the source object `key` also exists in the target. */
  isKept(key: ObjectKey): boolean {
    if (this.kept.has(key)) return true;
    return tableParts.has(keyKind(key)) && this.identicalTables.has(keyParts(key)[0]!);
  }

  add(op: Operation, meta: PlanMeta): Planned {
    const p = plan(op, meta);
    this.planned.push(p);
    return p;
  }
}

/**
 * Owners. Every object of a snapshot has an owner (null: the role that read the snapshot, which
 * is also the role that applies the operations). The diff changes owners where they differ,
 * sets the owner of what it creates when that is not the creating role (an object created
 * under `SET ROLE` belongs to the SU role), and flags the operations that change an object
 * another role owns, which only that role or a superuser may run.
 */
import type { Operation, OwnedTarget } from '../operations/operation';
import { isPrivilegedOperation } from '../operations/privileged';
import { objectKey, routineKey } from '../schema/object-key';
import type { ObjectKey, Routine, Snapshot } from '../schema/snapshot';
import type { DiffContext } from './diff-context';
import { Phase } from './planned';

interface Owned {
  readonly target: OwnedTarget;
  readonly key: ObjectKey;
  readonly owner: string | null;
}

function routineTarget(r: Routine): OwnedTarget {
  return { kind: r.kind, name: r.name, arguments: r.identityArguments };
}

/** True when some object of the snapshot belongs to another role than the one that read it. */
function anyOwner(snapshot: Snapshot): boolean {
  const lists = [snapshot.tables, snapshot.views, snapshot.sequences, snapshot.enums, snapshot.domains, snapshot.routines];
  return lists.some((list: readonly { readonly owner: string | null }[]) => list.some((o) => o.owner !== null));
}

/** Every owned object of a snapshot, by key. */
function ownedObjects(snapshot: Snapshot): Map<ObjectKey, Owned> {
  const out = new Map<ObjectKey, Owned>();
  const put = (target: OwnedTarget, key: ObjectKey, owner: string | null) => out.set(key, { target, key, owner });
  for (const t of snapshot.tables) put({ kind: 'table', name: t.name }, objectKey.table(t.name), t.owner);
  for (const v of snapshot.views) put({ kind: v.materialized ? 'materialized view' : 'view', name: v.name }, objectKey.view(v.name), v.owner);
  for (const s of snapshot.sequences) put({ kind: 'sequence', name: s.name }, objectKey.sequence(s.name), s.owner);
  for (const e of snapshot.enums) put({ kind: 'type', name: e.name }, objectKey.type(e.name), e.owner);
  for (const d of snapshot.domains) put({ kind: 'domain', name: d.name }, objectKey.type(d.name), d.owner);
  for (const r of snapshot.routines) put(routineTarget(r), routineKey(r), r.owner);
  return out;
}

/** The owned object an operation creates, if any. */
function created(op: Operation): ObjectKey | null {
  switch (op.kind) {
    case 'createTable':
      return objectKey.table(op.table.name);
    case 'createView':
      return objectKey.view(op.view.name);
    case 'createSequence':
      return objectKey.sequence(op.sequence.name);
    case 'createEnum':
      return objectKey.type(op.enum.name);
    case 'createDomain':
      return objectKey.type(op.domain.name);
    case 'createRoutine':
      return routineKey(op.routine);
    default:
      return null;
  }
}

/**
 * Plans `ALTER ... OWNER TO` operations for objects on both sides whose owners differ. A
 * created object gets its owner from its create operation (the renderers write `OWNER TO`
 * when it names one; null leaves it to whoever creates it), except the one case the create
 * cannot know: given `suRole`, a privileged creation runs as that role, which then owns it,
 * so where the target's owner is the applying role (null) it is set back (`SESSION_USER`).
 */
export function emitOwners(ctx: DiffContext, suRole: string | undefined): void {
  const privilegedCreations = suRole === undefined ? [] : ctx.planned.filter((p) => created(p.op) !== null && isPrivilegedOperation(p.op));
  // the usual case: every object belongs to the role that read it, on both sides, and
  // nothing privileged is created
  if (!anyOwner(ctx.from) && !anyOwner(ctx.to) && privilegedCreations.length === 0) return;
  const from = ownedObjects(ctx.from);
  const to = ownedObjects(ctx.to);
  const alter = (o: Owned, before: string | null) =>
    ctx.add({ kind: 'alterOwner', target: o.target, from: before, to: o.owner }, { phase: Phase.privileges, requires: [o.key] });
  const creations = new Set<ObjectKey>();
  for (const p of ctx.planned) {
    const key = created(p.op);
    if (key !== null) creations.add(key);
  }
  for (const p of privilegedCreations) {
    const t = to.get(created(p.op)!);
    if (t && t.owner === null) alter(t, suRole!);
  }
  for (const [key, t] of to) {
    if (creations.has(key)) continue;
    const f = from.get(key);
    if (f && f.owner !== t.owner) alter(t, f.owner);
  }
}

/** The object an operation creates, with its owner left to whoever creates it. */
function withoutOwner(op: Operation): Operation {
  switch (op.kind) {
    case 'createTable':
      return { ...op, table: { ...op.table, owner: null } };
    case 'createView':
      return { ...op, view: { ...op.view, owner: null } };
    case 'createSequence':
      return { ...op, sequence: { ...op.sequence, owner: null } };
    case 'createEnum':
      return { ...op, enum: { ...op.enum, owner: null } };
    case 'createDomain':
      return { ...op, domain: { ...op.domain, owner: null } };
    case 'createRoutine':
      return { ...op, routine: { ...op.routine, owner: null } };
    default:
      return op;
  }
}

function ownerOfCreated(op: Operation): string | null {
  switch (op.kind) {
    case 'createTable':
      return op.table.owner;
    case 'createView':
      return op.view.owner;
    case 'createSequence':
      return op.sequence.owner;
    case 'createEnum':
      return op.enum.owner;
    case 'createDomain':
      return op.domain.owner;
    case 'createRoutine':
      return op.routine.owner;
    default:
      return null;
  }
}

/**
 * An object created under `SET ROLE <suRole>` belongs to that role already: where its owner
 * is that role, its create operation does not change it again.
 */
export function ownedByCreator(ops: readonly Operation[], suRole: string | undefined): Operation[] {
  if (suRole === undefined) return [...ops];
  return ops.map((op) => (isPrivilegedOperation(op) && created(op) !== null && ownerOfCreated(op) === suRole ? withoutOwner(op) : op));
}

/** The owned object (source key) an operation changes, for the operations that change one. */
function changed(op: Operation, snapshot: Snapshot): ObjectKey | null {
  const relation = (name: string) => (snapshot.views.some((v) => v.name === name) ? objectKey.view(name) : objectKey.table(name));
  switch (op.kind) {
    case 'dropTable':
      return objectKey.table(op.table.name);
    case 'renameTable':
      return objectKey.table(op.to);
    case 'setTablePersistence':
    case 'setTableOptions':
    case 'setRowSecurity':
    case 'setReplicaIdentity':
    case 'addInherit':
    case 'dropInherit':
    case 'addColumn':
    case 'dropColumn':
    case 'renameColumn':
    case 'alterColumnType':
    case 'setColumnDefault':
    case 'setColumnNotNull':
    case 'addIdentity':
    case 'dropIdentity':
    case 'alterIdentity':
    case 'dropExpression':
    case 'addConstraint':
    case 'dropConstraint':
    case 'renameConstraint':
    case 'createIndex':
    case 'dropIndex':
      return objectKey.table(op.table);
    case 'attachPartition':
    case 'detachPartition':
      return objectKey.table(op.parent);
    case 'dropView':
      return objectKey.view(op.view.name);
    case 'replaceView':
      return objectKey.view(op.to.name);
    case 'replaceRoutine':
      return routineKey(op.to);
    case 'dropRoutine':
      return routineKey(op.routine);
    case 'alterSequence':
    case 'setSequenceOwner':
      return objectKey.sequence(op.name);
    case 'dropSequence':
      return objectKey.sequence(op.sequence.name);
    case 'dropEnum':
      return objectKey.type(op.enum.name);
    case 'addEnumValue':
    case 'recreateEnum':
      return objectKey.type(op.type);
    case 'alterDomain':
      return objectKey.type(op.to.name);
    case 'dropDomain':
      return objectKey.type(op.domain.name);
    case 'createTrigger':
    case 'dropTrigger':
      return relation(op.trigger.table);
    case 'setTriggerEnabled':
      return relation(op.table);
    case 'createPolicy':
    case 'dropPolicy':
      return objectKey.table(op.policy.table);
    case 'alterPolicy':
      return objectKey.table(op.to.table);
    default:
      return null;
  }
}

/** The relation or routine a comment or grant is on. */
function targetKey(op: Operation, snapshot: Snapshot): ObjectKey | null {
  if (op.kind !== 'setComment' && op.kind !== 'grant' && op.kind !== 'revoke') return null;
  const t = op.target;
  switch (t.kind) {
    case 'table':
      return objectKey.table(t.name);
    case 'view':
    case 'materialized view':
      return objectKey.view(t.name);
    case 'sequence':
      return objectKey.sequence(t.name);
    case 'type':
    case 'domain':
      return objectKey.type(t.name);
    case 'column':
    case 'constraint':
    case 'trigger':
    case 'policy':
      return snapshot.views.some((v) => v.name === t.table) ? objectKey.view(t.table) : objectKey.table(t.table);
    case 'function':
    case 'procedure': {
      const r = snapshot.routines.find((x) => x.name === t.name && x.identityArguments === t.arguments);
      return r ? routineKey(r) : null;
    }
    default:
      return null;
  }
}

/**
 * Flags `superuser` on the operations that change an object another role owns in `from` (the
 * schema as it is), so that the renderers run them as the SU role.
 */
export function flagOwnedByOthers(ops: readonly Operation[], from: Snapshot): Operation[] {
  if (!anyOwner(from)) return [...ops];
  const owners = ownedObjects(from);
  return ops.map((op) => {
    const key = changed(op, from) ?? targetKey(op, from);
    const owner = key === null ? null : (owners.get(key)?.owner ?? null);
    return owner !== null && !op.superuser ? { ...op, superuser: true } : op;
  });
}

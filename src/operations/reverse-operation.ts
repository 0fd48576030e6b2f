import { assertNever } from '../errors';
import { sequenceBoundNote } from '../schema/sequence-bounds';
import { conversionNote } from '../schema/type-casts';
import { isWidening } from '../schema/type-widening';
import { replaceableInPlace } from '../schema/view-compatibility';
import type { Operation } from './operation';

function flags(op: Operation, extra: Partial<Pick<Operation, 'destructive' | 'reason' | 'review' | 'note'>> = {}) {
  const out: { destructive?: boolean; reason?: string; review?: boolean; note?: string } = {};
  if (op.review) out.review = true;
  if (op.review && op.note) out.note = op.note;
  return { ...out, ...extra };
}

/**
 * The operations that undo `op`, in the order they must run. Most operations undo into
 * one; a few need several (undoing `ADD VALUE` re-creates the enum and the objects that
 * depend on it). The result never depends on the database: operations carry what they need.
 *
 * @example
 * ```ts
 * reverseOperation({ kind: 'renameTable', from: 'a', to: 'b' }) // [{ kind: 'renameTable', from: 'b', to: 'a' }]
 * ```
 */
export function reverseOperation(op: Operation): Operation[] {
  const out = reverseOne(op);
  // undoing a change to an object another role owns touches the same object
  return op.superuser ? out.map((r) => ({ ...r, superuser: true })) : out;
}

function reverseOne(op: Operation): Operation[] {
  switch (op.kind) {
    case 'createExtension':
      // an extension installed in another schema belongs to the whole database (other schemas
      // may use it): the downgrade leaves it, as CREATE EXTENSION IF NOT EXISTS may have found it
      return op.extension.schema === null ? [{ kind: 'dropExtension', extension: op.extension }] : [];
    case 'dropExtension':
      return [{ kind: 'createExtension', extension: op.extension }];
    case 'alterExtension': {
      // extensions rarely ship downgrade scripts: drop it and create the old version
      const reason = `extension "${op.name}" cannot go back from ${op.toVersion} to ${op.fromVersion} in place: it is dropped and created again, which fails while objects depend on it`;
      return [
        { kind: 'dropExtension', extension: { name: op.name, version: op.toVersion, schema: null, privileged: op.privileged }, destructive: true, reason },
        { kind: 'createExtension', extension: { name: op.name, version: op.fromVersion, schema: null, privileged: op.privileged } },
      ];
    }
    case 'createCollation':
      return [{ kind: 'dropCollation', collation: op.collation }];
    case 'dropCollation':
      return [{ kind: 'createCollation', collation: op.collation }];
    case 'createEnum':
      return [{ kind: 'dropEnum', enum: op.enum }];
    case 'dropEnum':
      return [{ kind: 'createEnum', enum: op.enum }];
    case 'addEnumValue': {
      const dropDependants = [...op.dependants].reverse().flatMap(reverseOperation);
      return [
        ...dropDependants,
        {
          kind: 'recreateEnum',
          type: op.type,
          fromLabels: insertLabel(op.labels, op.value, op.before, op.after),
          toLabels: op.labels,
          columns: op.columns,
          destructive: true,
          reason: `removes value '${op.value}' from enum "${op.type}"`,
        },
        ...op.dependants,
      ];
    }
    case 'recreateEnum': {
      return [
        {
          kind: 'recreateEnum',
          type: op.type,
          fromLabels: op.toLabels,
          toLabels: op.fromLabels,
          columns: op.columns,
          ...(op.toLabels.some((l) => !op.fromLabels.includes(l)) ? { destructive: true, reason: `removes values from enum "${op.type}"` } : {}),
        },
      ];
    }
    case 'createDomain':
      return [{ kind: 'dropDomain', domain: op.domain }];
    case 'dropDomain':
      return [{ kind: 'createDomain', domain: op.domain }];
    case 'alterDomain':
      return [{ kind: 'alterDomain', from: op.to, to: op.from }];
    case 'createSequence':
      return [{ kind: 'dropSequence', sequence: op.sequence }];
    case 'dropSequence':
      return [{ kind: 'createSequence', sequence: op.sequence }];
    case 'alterSequence': {
      const note = sequenceBoundNote(op.name, op.to, op.from);
      return [{ kind: 'alterSequence', name: op.name, from: op.to, to: op.from, ...(note ? { note } : {}) }];
    }
    case 'setSequenceOwner':
      return [{ kind: 'setSequenceOwner', name: op.name, from: op.to, to: op.from }];
    case 'renameSequence':
      return [{ kind: 'renameSequence', from: op.to, to: op.from, ...flags(op) }];
    case 'createTable':
      return [{ kind: 'dropTable', table: op.table, destructive: true, reason: `drops table "${op.table.name}" and its data` }];
    case 'dropTable':
      return [{ kind: 'createTable', table: op.table }];
    case 'renameTable':
      return [{ kind: 'renameTable', from: op.to, to: op.from, ...flags(op) }];
    case 'setTablePersistence':
      return [{ kind: 'setTablePersistence', table: op.table, from: op.to, to: op.from }];
    case 'setTableOptions':
      return [{ kind: 'setTableOptions', table: op.table, from: op.to, to: op.from }];
    case 'setRowSecurity':
      return [{ kind: 'setRowSecurity', table: op.table, force: op.force, from: op.to, to: op.from }];
    case 'setReplicaIdentity':
      return [{ kind: 'setReplicaIdentity', table: op.table, from: op.to, to: op.from }];
    case 'attachPartition':
      return [{ ...op, kind: 'detachPartition' }];
    case 'detachPartition':
      return [{ ...op, kind: 'attachPartition' }];
    case 'addInherit':
      return [{ ...op, kind: 'dropInherit' }];
    case 'dropInherit':
      return [{ ...op, kind: 'addInherit' }];
    case 'addColumn':
      return [
        {
          kind: 'dropColumn',
          table: op.table,
          column: op.column,
          destructive: true,
          reason: `drops column "${op.table}"."${op.column.name}" and its data`,
        },
      ];
    case 'dropColumn':
      return [{ kind: 'addColumn', table: op.table, column: op.column }];
    case 'renameColumn':
      return [{ kind: 'renameColumn', table: op.table, from: op.to, to: op.from, ...flags(op) }];
    case 'alterColumnType': {
      const safe = op.to.type === op.from.type || isWidening(op.to.type, op.from.type);
      const note = op.to.enumType || op.from.enumType ? null : conversionNote(op.table, op.column, op.to.type, op.from.type);
      return [
        {
          kind: 'alterColumnType',
          table: op.table,
          column: op.column,
          from: op.to,
          to: op.from,
          ...(safe
            ? {}
            : {
                destructive: true,
                reason: `changes "${op.table}"."${op.column}" back from ${op.to.type} to ${op.from.type}: values may not convert or may lose precision`,
              }),
          ...(note !== null ? { review: true, note } : {}),
        },
      ];
    }
    case 'setColumnDefault':
      return [{ kind: 'setColumnDefault', table: op.table, column: op.column, from: op.to, to: op.from }];
    case 'setColumnNotNull':
      return [{ kind: 'setColumnNotNull', table: op.table, column: op.column, from: op.to, to: op.from }];
    case 'addIdentity':
      return [{ kind: 'dropIdentity', table: op.table, column: op.column, identity: op.identity }];
    case 'dropIdentity':
      return [{ kind: 'addIdentity', table: op.table, column: op.column, identity: op.identity }];
    case 'alterIdentity': {
      const note = sequenceBoundNote(op.from.sequenceName, op.to, op.from);
      return [{ kind: 'alterIdentity', table: op.table, column: op.column, from: op.to, to: op.from, ...(note ? { note } : {}) }];
    }
    case 'dropExpression':
      // PostgreSQL cannot turn a column back into a generated one: drop it and add it again.
      return [
        {
          kind: 'dropColumn',
          table: op.table,
          column: op.column,
          destructive: true,
          reason: `re-creates "${op.table}"."${op.column.name}" as a generated column; its stored values are recomputed`,
        },
        { kind: 'addColumn', table: op.table, column: { ...op.column, generated: op.expression, default: null } },
      ];
    case 'addConstraint':
      return [{ kind: 'dropConstraint', table: op.table, constraint: op.constraint }];
    case 'dropConstraint':
      return [{ kind: 'addConstraint', table: op.table, constraint: op.constraint }];
    case 'renameConstraint':
      return [{ kind: 'renameConstraint', table: op.table, from: op.to, to: op.from }];
    case 'createIndex':
      return [{ kind: 'dropIndex', table: op.table, index: op.index }];
    case 'dropIndex':
      return [{ kind: 'createIndex', table: op.table, index: op.index }];
    case 'renameIndex':
      return [{ kind: 'renameIndex', from: op.to, to: op.from }];
    case 'createView':
      return [{ kind: 'dropView', view: op.view }];
    case 'dropView':
      return [
        {
          kind: 'createView',
          view: op.view,
          ...(op.view.materialized ? { note: `materialized view "${op.view.name}" is re-created: it needs a REFRESH` } : {}),
        },
      ];
    case 'replaceView': {
      if (replaceableInPlace(op.to, op.from)) return [{ kind: 'replaceView', from: op.to, to: op.from }];
      const dependants = op.dependants ?? [];
      return [...[...dependants].reverse().flatMap(reverseOperation), { kind: 'dropView', view: op.to }, { kind: 'createView', view: op.from }, ...dependants];
    }
    case 'createRoutine':
      return [{ kind: 'dropRoutine', routine: op.routine }];
    case 'dropRoutine':
      return [{ kind: 'createRoutine', routine: op.routine }];
    case 'replaceRoutine':
      return [{ kind: 'replaceRoutine', from: op.to, to: op.from }];
    case 'createTrigger':
      return [{ kind: 'dropTrigger', trigger: op.trigger }];
    case 'dropTrigger':
      return [{ kind: 'createTrigger', trigger: op.trigger }];
    case 'setTriggerEnabled':
      return [{ kind: 'setTriggerEnabled', table: op.table, name: op.name, from: op.to, to: op.from }];
    case 'createPolicy':
      return [{ kind: 'dropPolicy', policy: op.policy }];
    case 'dropPolicy':
      return [{ kind: 'createPolicy', policy: op.policy }];
    case 'alterPolicy':
      return [{ kind: 'alterPolicy', from: op.to, to: op.from }];
    case 'setComment':
      return [{ kind: 'setComment', target: op.target, from: op.to, to: op.from }];
    case 'alterOwner':
      return [{ kind: 'alterOwner', target: op.target, from: op.to, to: op.from }];
    case 'grant':
      return [{ kind: 'revoke', target: op.target, grant: op.grant }];
    case 'revoke':
      return [{ kind: 'grant', target: op.target, grant: op.grant }];
    default:
      return assertNever(op, 'operation');
  }
}

function insertLabel(labels: readonly string[], value: string, before: string | null, after: string | null): string[] {
  const out = [...labels];
  if (before !== null && out.includes(before)) out.splice(out.indexOf(before), 0, value);
  else if (after !== null && out.includes(after)) out.splice(out.indexOf(after) + 1, 0, value);
  else out.push(value);
  return out;
}

/**
 * The downgrade of a list of operations: each one reversed, last first.
 *
 * @example
 * ```ts
 * const downgrade = reverseOperations(diffSnapshots(before, after));
 * ```
 */
export function reverseOperations(ops: readonly Operation[]): Operation[] {
  const out: Operation[] = [];
  for (let i = ops.length - 1; i >= 0; i--) out.push(...reverseOperation(ops[i]!));
  return out;
}

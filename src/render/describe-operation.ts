/**
 * One line per detected change, as Alembic's autogenerate logs them ("Detected added column
 * 'station.name'"), for `revision --autogenerate`, `check` and `diff` to show what they found
 * before the SQL or the file.
 */
import { assertNever } from '../errors';
import type { ObjectTarget, Operation } from '../operations/operation';
import { READER_ROLE } from '../schema/snapshot';

function q(name: string): string {
  return `'${name}'`;
}

function grantee(role: string): string {
  return role === READER_ROLE ? 'the login user' : role;
}

function targetText(t: ObjectTarget): string {
  switch (t.kind) {
    case 'column':
      return `column ${q(`${t.table}.${t.name}`)}`;
    case 'constraint':
    case 'trigger':
    case 'policy':
      return `${t.kind} ${q(t.name)} on ${q(t.table)}`;
    case 'function':
    case 'procedure':
      return `${t.kind} ${q(`${t.name}(${t.arguments})`)}`;
    default:
      return `${t.kind} ${q(t.name)}`;
  }
}

/**
 * What an operation changes, in the words Alembic's autogenerate uses.
 *
 * @example
 * ```ts
 * describeOperation({ kind: 'addColumn', table: 'station', column }) // "Detected added column 'station.name'"
 * ```
 */
export function describeOperation(op: Operation): string {
  return `Detected ${change(op)}${op.destructive ? ' (destructive)' : ''}${op.review ? ' (review)' : ''}`;
}

/**
 * The lines of a whole plan: as {@link describeOperation}, less what another line already says
 * (a new sequence's owning column is part of adding it, as for a serial column).
 *
 * @example
 * ```ts
 * describeOperations([createSequence('t_id_seq'), createTable('t'), setSequenceOwner('t_id_seq')])
 * // ["Detected added sequence 't_id_seq'", "Detected added table 't'"]
 * ```
 */
export function describeOperations(ops: readonly Operation[]): string[] {
  const created = new Set(ops.flatMap((op) => (op.kind === 'createSequence' ? [op.sequence.name] : [])));
  return ops.filter((op) => !(op.kind === 'setSequenceOwner' && created.has(op.name))).map(describeOperation);
}

function change(op: Operation): string {
  switch (op.kind) {
    case 'createExtension':
      return `added extension ${q(op.extension.name)}`;
    case 'dropExtension':
      return `removed extension ${q(op.extension.name)}`;
    case 'alterExtension':
      return `extension ${q(op.name)} version ${op.fromVersion} -> ${op.toVersion}`;
    case 'createCollation':
      return `added collation ${q(op.collation.name)}`;
    case 'dropCollation':
      return `removed collation ${q(op.collation.name)}`;
    case 'createEnum':
      return `added enum ${q(op.enum.name)}`;
    case 'dropEnum':
      return `removed enum ${q(op.enum.name)}`;
    case 'addEnumValue':
      return `added value ${q(op.value)} to enum ${q(op.type)}`;
    case 'recreateEnum':
      return `changed values of enum ${q(op.type)}`;
    case 'createDomain':
      return `added domain ${q(op.domain.name)}`;
    case 'dropDomain':
      return `removed domain ${q(op.domain.name)}`;
    case 'alterDomain':
      return `changed domain ${q(op.to.name)}`;
    case 'createSequence':
      return `added sequence ${q(op.sequence.name)}`;
    case 'dropSequence':
      return `removed sequence ${q(op.sequence.name)}`;
    case 'alterSequence':
      return `changed sequence ${q(op.name)}`;
    case 'setSequenceOwner':
      return `changed owning column of sequence ${q(op.name)}`;
    case 'renameSequence':
      return `renamed sequence ${q(op.from)} to ${q(op.to)}`;
    case 'createTable':
      return `added table ${q(op.table.name)}`;
    case 'dropTable':
      return `removed table ${q(op.table.name)}`;
    case 'renameTable':
      return `renamed table ${q(op.from)} to ${q(op.to)}`;
    case 'setTablePersistence':
      return `table ${q(op.table)} made ${op.to}`;
    case 'setTableOptions':
      return `changed storage options of table ${q(op.table)}`;
    case 'setRowSecurity':
      return `${op.to ? 'enabled' : 'disabled'} ${op.force ? 'forced ' : ''}row-level security on table ${q(op.table)}`;
    case 'setReplicaIdentity':
      return `replica identity of table ${q(op.table)} ${typeof op.to === 'string' ? op.to : `using index ${q(op.to.index)}`}`;
    case 'attachPartition':
      return `attached partition ${q(op.table)} to ${q(op.parent)}`;
    case 'detachPartition':
      return `detached partition ${q(op.table)} from ${q(op.parent)}`;
    case 'addInherit':
      return `table ${q(op.table)} now inherits ${q(op.parent)}`;
    case 'dropInherit':
      return `table ${q(op.table)} no longer inherits ${q(op.parent)}`;
    case 'addColumn':
      return `added column ${q(`${op.table}.${op.column.name}`)}`;
    case 'dropColumn':
      return `removed column ${q(`${op.table}.${op.column.name}`)}`;
    case 'renameColumn':
      return `renamed column ${q(`${op.table}.${op.from}`)} to ${q(op.to)}`;
    case 'alterColumnType':
      return `type change on ${q(`${op.table}.${op.column}`)}: ${op.from.type} -> ${op.to.type}`;
    case 'setColumnDefault':
      return `${op.to === null ? 'removed' : op.from === null ? 'added' : 'changed'} default of ${q(`${op.table}.${op.column}`)}`;
    case 'setColumnNotNull':
      return `${op.to ? 'NOT NULL on' : 'NULL allowed on'} ${q(`${op.table}.${op.column}`)}`;
    case 'addIdentity':
      return `added identity on ${q(`${op.table}.${op.column}`)}`;
    case 'dropIdentity':
      return `removed identity on ${q(`${op.table}.${op.column}`)}`;
    case 'alterIdentity':
      return `changed identity on ${q(`${op.table}.${op.column}`)}`;
    case 'dropExpression':
      return `${q(`${op.table}.${op.column.name}`)} no longer generated`;
    case 'addConstraint':
      return `added ${op.constraint.kind} constraint ${q(op.constraint.name)} on ${q(op.table)}`;
    case 'dropConstraint':
      return `removed ${op.constraint.kind} constraint ${q(op.constraint.name)} on ${q(op.table)}`;
    case 'renameConstraint':
      return `renamed constraint ${q(op.from)} on ${q(op.table)} to ${q(op.to)}`;
    case 'createIndex':
      return `added index ${q(op.index.name)} on ${q(op.table)}`;
    case 'dropIndex':
      return `removed index ${q(op.index.name)} on ${q(op.table)}`;
    case 'renameIndex':
      return `renamed index ${q(op.from)} to ${q(op.to)}`;
    case 'createView':
      return `added ${op.view.materialized ? 'materialized view' : 'view'} ${q(op.view.name)}`;
    case 'dropView':
      return `removed ${op.view.materialized ? 'materialized view' : 'view'} ${q(op.view.name)}`;
    case 'replaceView':
      return `changed ${op.to.materialized ? 'materialized view' : 'view'} ${q(op.to.name)}`;
    case 'createRoutine':
      return `added ${op.routine.kind} ${q(`${op.routine.name}(${op.routine.identityArguments})`)}`;
    case 'dropRoutine':
      return `removed ${op.routine.kind} ${q(`${op.routine.name}(${op.routine.identityArguments})`)}`;
    case 'replaceRoutine':
      return `changed ${op.to.kind} ${q(`${op.to.name}(${op.to.identityArguments})`)}`;
    case 'createTrigger':
      return `added trigger ${q(op.trigger.name)} on ${q(op.trigger.table)}`;
    case 'dropTrigger':
      return `removed trigger ${q(op.trigger.name)} on ${q(op.trigger.table)}`;
    case 'setTriggerEnabled':
      return `trigger ${q(op.name)} on ${q(op.table)} set ${op.to === 'D' ? 'disabled' : 'enabled'}`;
    case 'createPolicy':
      return `added policy ${q(op.policy.name)} on ${q(op.policy.table)}`;
    case 'dropPolicy':
      return `removed policy ${q(op.policy.name)} on ${q(op.policy.table)}`;
    case 'alterPolicy':
      return `changed policy ${q(op.to.name)} on ${q(op.to.table)}`;
    case 'setComment':
      return `${op.to === null ? 'removed' : op.from === null ? 'added' : 'changed'} comment on ${targetText(op.target)}`;
    case 'alterOwner':
      return `owner of ${targetText(op.target)} ${op.from === null ? 'the login user' : op.from} -> ${op.to === null ? 'the login user' : op.to}`;
    case 'grant':
      return `granted ${op.grant.privilege} on ${targetText(op.target)} to ${grantee(op.grant.grantee)}`;
    case 'revoke':
      return `revoked ${op.grant.privilege} on ${targetText(op.target)} from ${grantee(op.grant.grantee)}`;
    default:
      return assertNever(op, 'operation');
  }
}

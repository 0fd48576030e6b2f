/**
 * The diff plans every operation under the target's names. Operations that end up before
 * a rename (dropping what depended on the old name) must use the old name.
 */
import type { Operation } from '../operations/operation';

interface Pending {
  tables: Map<string, string>;
  columns: Map<string, string>;
  constraints: Map<string, string>;
  indexes: Map<string, string>;
  sequences: Map<string, string>;
}

const pair = (table: string, name: string) => `${table}\u0000${name}`;

function rewrite(op: Operation, p: Pending): Operation {
  const table = (t: string) => p.tables.get(t) ?? t;
  const column = (t: string, c: string) => p.columns.get(pair(t, c)) ?? c;
  switch (op.kind) {
    case 'dropTable':
      return { ...op, table: { ...op.table, name: table(op.table.name) } };
    case 'dropColumn':
      return { ...op, table: table(op.table), column: { ...op.column, name: column(op.table, op.column.name) } };
    case 'dropConstraint':
      return {
        ...op,
        table: table(op.table),
        constraint: { ...op.constraint, name: p.constraints.get(pair(op.table, op.constraint.name)) ?? op.constraint.name },
      };
    case 'dropIndex':
      return { ...op, table: table(op.table), index: { ...op.index, name: p.indexes.get(op.index.name) ?? op.index.name } };
    case 'dropTrigger':
      return { ...op, trigger: { ...op.trigger, table: table(op.trigger.table) } };
    case 'dropPolicy':
      return { ...op, policy: { ...op.policy, table: table(op.policy.table) } };
    case 'dropSequence':
      return { ...op, sequence: { ...op.sequence, name: p.sequences.get(op.sequence.name) ?? op.sequence.name } };
    case 'setSequenceOwner':
      return {
        ...op,
        name: p.sequences.get(op.name) ?? op.name,
        from: op.from && { table: table(op.from.table), column: column(op.from.table, op.from.column) },
        to: op.to && { table: table(op.to.table), column: column(op.to.table, op.to.column) },
      };
    case 'detachPartition':
    case 'dropInherit':
      return { ...op, table: table(op.table), parent: op.parentSchema === undefined ? table(op.parent) : op.parent };
    case 'setColumnDefault':
    case 'setColumnNotNull':
    case 'alterColumnType':
    case 'dropIdentity':
    case 'addIdentity':
    case 'alterIdentity':
      return { ...op, table: table(op.table), column: column(op.table, op.column) };
    default:
      return op;
  }
}

export function restoreOldNames(ordered: readonly Operation[]): Operation[] {
  const p: Pending = { tables: new Map(), columns: new Map(), constraints: new Map(), indexes: new Map(), sequences: new Map() };
  for (const op of ordered) {
    if (op.kind === 'renameTable') p.tables.set(op.to, op.from);
    else if (op.kind === 'renameColumn') p.columns.set(pair(op.table, op.to), op.from);
    else if (op.kind === 'renameConstraint') p.constraints.set(pair(op.table, op.to), op.from);
    else if (op.kind === 'renameIndex') p.indexes.set(op.to, op.from);
    else if (op.kind === 'renameSequence') p.sequences.set(op.to, op.from);
  }
  const out: Operation[] = [];
  for (const op of ordered) {
    if (op.kind === 'renameTable') p.tables.delete(op.to);
    else if (op.kind === 'renameColumn') p.columns.delete(pair(op.table, op.to));
    else if (op.kind === 'renameConstraint') p.constraints.delete(pair(op.table, op.to));
    else if (op.kind === 'renameIndex') p.indexes.delete(op.to);
    else if (op.kind === 'renameSequence') p.sequences.delete(op.to);
    const pending = p.tables.size + p.columns.size + p.constraints.size + p.indexes.size + p.sequences.size;
    out.push(pending === 0 ? op : rewrite(op, p));
  }
  return out;
}

import { diffSnapshots } from '../diff/diff-snapshots';
import type { ObjectTarget, Operation } from '../operations/operation';
import { isPrivilegedOperation } from '../operations/privileged';
import { toSql } from '../render/fragments';
import { operationStatements } from '../render/operation-statements';
import { emptySnapshot } from '../schema/snapshot';
import { completeModel, type AnyModel } from './model';
import { modelToSnapshot } from './model-to-snapshot';

/** One SQL statement that builds part of a model in a schema. */
export interface ModelStatement {
  /** What it builds, for logs and errors: `table meta_station`, `function moddatetime_wrapper`. */
  readonly object: string;
  readonly sql: string;
  /** Only a superuser may run it: it runs as the SU role (`asSuperuser`). */
  readonly privileged: boolean;
}

/**
 * The operations that build a model in an empty schema: `diffSnapshots(emptySnapshot,
 * modelToSnapshot(model))`, the path autogenerate and the revisions' renderer take too.
 *
 * @example
 * ```ts
 * modelOperations(model).map((op) => op.kind); // ['createEnum', 'createSequence', 'createTable', ...]
 * ```
 */
export function modelOperations(model: AnyModel): Operation[] {
  return diffSnapshots(emptySnapshot, modelToSnapshot(model));
}

function targetName(target: ObjectTarget): string {
  switch (target.kind) {
    case 'column':
    case 'constraint':
    case 'trigger':
    case 'policy':
      return `${target.kind} ${target.table}.${target.name}`;
    case 'function':
    case 'procedure':
      return `${target.kind} ${target.name}(${target.arguments})`;
    default:
      return `${target.kind} ${target.name}`;
  }
}

/** What an operation builds, as `createAll` names it in logs and errors. */
export function describeOperation(op: Operation): string {
  switch (op.kind) {
    case 'createExtension':
      return `extension ${op.extension.name}`;
    case 'createCollation':
      return `collation ${op.collation.name}`;
    case 'createEnum':
      return `enum ${op.enum.name}`;
    case 'createDomain':
      return `domain ${op.domain.name}`;
    case 'createSequence':
      return `sequence ${op.sequence.name}`;
    case 'setSequenceOwner':
      return `sequence ${op.name}`;
    case 'createTable':
      return `table ${op.table.name}`;
    case 'addConstraint':
      return op.constraint.kind === 'foreign key' ? `foreign key ${op.constraint.name}` : `constraint ${op.table}.${op.constraint.name}`;
    case 'createIndex':
      return `index ${op.index.name}`;
    case 'createView':
      return `${op.view.materialized ? 'materialized view' : 'view'} ${op.view.name}`;
    case 'createRoutine':
      return `${op.routine.kind} ${op.routine.name}`;
    case 'createTrigger':
      return `trigger ${op.trigger.name}`;
    case 'createPolicy':
      return `policy ${op.policy.name}`;
    case 'setColumnDefault':
    case 'setColumnNotNull':
      return `column ${op.table}.${op.column}`;
    case 'setRowSecurity':
      return `table ${op.table}`;
    case 'setComment':
      return `comment on ${targetName(op.target)}`;
    case 'grant':
    case 'revoke':
      return `${op.kind} on ${targetName(op.target)}`;
    default:
      // building from an empty schema creates; other operations are named by their kind
      return op.kind;
  }
}

/**
 * The SQL statements that build `model` in `schema`, in order, each saying what it builds and
 * whether it needs the SU role. They run with `search_path` set to the schema, then `public`, and
 * `check_function_bodies` off (as {@link createAll} runs them). Pure: no database.
 *
 * @example
 * ```ts
 * modelStatements(crmp, 'crmp_test').map((s) => s.sql);
 * // ['CREATE TYPE "crmp_test"."climo_station_type" AS ENUM (...)', 'CREATE SEQUENCE "crmp_test"."obs_raw_id_seq"', ...]
 * ```
 */
export function modelStatements(model: AnyModel, schema: string): ModelStatement[] {
  return operationsStatements(modelOperations(model), schema);
}

/** The statements of operations for `schema`, as {@link modelStatements} lists them. */
export function operationsStatements(operations: readonly Operation[], schema: string): ModelStatement[] {
  return operations.flatMap((op) => {
    const object = describeOperation(op);
    const privileged = isPrivilegedOperation(op);
    return operationStatements(op).map((s) => ({ object, sql: toSql(s, schema), privileged }));
  });
}

/**
 * How many objects a model declares: tables, views, materialized views, their indexes and
 * foreign keys, sequences (not those of serial columns), types, collations, extensions,
 * routines, triggers and policies.
 */
export function countModelObjects(input: AnyModel): number {
  const model = completeModel(input);
  const relations = [...model.tables, ...model.views, ...model.materializedViews];
  const parts =
    model.tables.reduce((n, t) => n + t.node.indexes.length + t.node.foreignKeys.length, 0) +
    model.materializedViews.reduce((n, v) => n + v.node.indexes.length, 0);
  return (
    relations.length +
    parts +
    model.sequences.length +
    model.enums.length +
    model.domains.length +
    model.collations.length +
    model.extensions.length +
    model.functions.length +
    model.triggers.length +
    model.policies.length
  );
}

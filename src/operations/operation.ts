/**
 * The one operation model shared by diff, reverse, render and execution. Every operation
 * is plain data that carries enough of the before and after states to be reversed
 * without looking at the database. Names are relative to the target schema, which the
 * renderer supplies.
 */
import type {
  Collation,
  Column,
  Constraint,
  Domain,
  EnumType,
  Extension,
  Grant,
  Identity,
  Index,
  Policy,
  ReplicaIdentity,
  Routine,
  Sequence,
  SequenceOptions,
  Table,
  Trigger,
  View,
} from '../schema/snapshot';

/** Flags every operation may carry. */
export interface OperationFlags {
  /** Loses data or cannot be undone exactly (drop table, drop column, narrowing, enum value removal). */
  readonly destructive?: boolean;
  /** Why the operation is destructive. */
  readonly reason?: string;
  /** A guess the user must confirm (a proposed rename); renderers write a `REVIEW` comment. */
  readonly review?: boolean;
  /** Extra information renderers write as a comment (e.g. a materialized view needs a REFRESH). */
  readonly note?: string;
  /**
   * It changes an object owned by another role than the one applying it (an SU role's
   * plpython3u function, say): renderers run it as the SU role, like the operations that
   * only a superuser may run at all (see `isPrivilegedOperation`).
   */
  readonly superuser?: boolean;
}

/** An object that has an owner. */
export type OwnedTarget = Extract<
  ObjectTarget,
  { readonly kind: 'table' | 'view' | 'materialized view' | 'sequence' | 'type' | 'domain' | 'collation' | 'function' | 'procedure' }
>;

/** An object that comments and grants apply to. */
export type ObjectTarget =
  | { readonly kind: 'table' | 'view' | 'materialized view' | 'sequence' | 'type' | 'domain' | 'collation'; readonly name: string }
  | { readonly kind: 'column'; readonly table: string; readonly name: string }
  | { readonly kind: 'constraint' | 'trigger' | 'policy'; readonly table: string; readonly name: string }
  | { readonly kind: 'index'; readonly name: string }
  | { readonly kind: 'function' | 'procedure'; readonly name: string; readonly arguments: string };

/** A column that an enum re-creation converts, with the default it restores. */
export interface EnumColumn {
  readonly table: string;
  readonly column: string;
  readonly array: boolean;
  readonly default: string | null;
}

export type Operation = OperationFlags &
  (
    | { readonly kind: 'createExtension'; readonly extension: Extension }
    | { readonly kind: 'dropExtension'; readonly extension: Extension }
    | { readonly kind: 'alterExtension'; readonly name: string; readonly fromVersion: string; readonly toVersion: string; readonly privileged: boolean }
    | { readonly kind: 'createCollation'; readonly collation: Collation }
    | { readonly kind: 'dropCollation'; readonly collation: Collation }
    | { readonly kind: 'createEnum'; readonly enum: EnumType }
    | { readonly kind: 'dropEnum'; readonly enum: EnumType }
    | {
        readonly kind: 'addEnumValue';
        readonly type: string;
        readonly value: string;
        readonly before: string | null;
        readonly after: string | null;
        /** Labels before the value was added (what a downgrade returns to). */
        readonly labels: readonly string[];
        /** Columns of the type before the change: a downgrade re-creates the enum and converts them. */
        readonly columns: readonly EnumColumn[];
        /**
         * Operations that create, in order, the objects depending on the type before the change:
         * a downgrade drops them (in reverse) around the enum's re-creation, then runs them.
         */
        readonly dependants: readonly Operation[];
      }
    | {
        readonly kind: 'recreateEnum';
        readonly type: string;
        readonly fromLabels: readonly string[];
        readonly toLabels: readonly string[];
        readonly columns: readonly EnumColumn[];
      }
    | { readonly kind: 'createDomain'; readonly domain: Domain }
    | { readonly kind: 'dropDomain'; readonly domain: Domain }
    | { readonly kind: 'alterDomain'; readonly from: Domain; readonly to: Domain }
    | { readonly kind: 'createSequence'; readonly sequence: Sequence }
    | { readonly kind: 'dropSequence'; readonly sequence: Sequence }
    | { readonly kind: 'alterSequence'; readonly name: string; readonly from: SequenceOptions; readonly to: SequenceOptions }
    | {
        readonly kind: 'setSequenceOwner';
        readonly name: string;
        readonly from: { readonly table: string; readonly column: string } | null;
        readonly to: { readonly table: string; readonly column: string } | null;
      }
    | { readonly kind: 'renameSequence'; readonly from: string; readonly to: string }
    | { readonly kind: 'createTable'; readonly table: Table }
    | { readonly kind: 'dropTable'; readonly table: Table }
    | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
    | { readonly kind: 'setTablePersistence'; readonly table: string; readonly from: Table['persistence']; readonly to: Table['persistence'] }
    | { readonly kind: 'setTableOptions'; readonly table: string; readonly from: readonly string[]; readonly to: readonly string[] }
    | { readonly kind: 'setRowSecurity'; readonly table: string; readonly force: boolean; readonly from: boolean; readonly to: boolean }
    | { readonly kind: 'setReplicaIdentity'; readonly table: string; readonly from: ReplicaIdentity; readonly to: ReplicaIdentity }
    /** `parentSchema`: the parent is in that other schema (absent: in the target schema). */
    | { readonly kind: 'attachPartition'; readonly table: string; readonly parent: string; readonly parentSchema?: string; readonly bound: string }
    | { readonly kind: 'detachPartition'; readonly table: string; readonly parent: string; readonly parentSchema?: string; readonly bound: string }
    | { readonly kind: 'addInherit'; readonly table: string; readonly parent: string; readonly parentSchema?: string }
    | { readonly kind: 'dropInherit'; readonly table: string; readonly parent: string; readonly parentSchema?: string }
    | { readonly kind: 'addColumn'; readonly table: string; readonly column: Column }
    | { readonly kind: 'dropColumn'; readonly table: string; readonly column: Column }
    | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
    | {
        readonly kind: 'alterColumnType';
        readonly table: string;
        readonly column: string;
        readonly from: { readonly type: string; readonly collation: string | null; readonly enumType: boolean };
        readonly to: { readonly type: string; readonly collation: string | null; readonly enumType: boolean };
      }
    | { readonly kind: 'setColumnDefault'; readonly table: string; readonly column: string; readonly from: string | null; readonly to: string | null }
    | { readonly kind: 'setColumnNotNull'; readonly table: string; readonly column: string; readonly from: boolean; readonly to: boolean }
    | { readonly kind: 'addIdentity'; readonly table: string; readonly column: string; readonly identity: Identity }
    | { readonly kind: 'dropIdentity'; readonly table: string; readonly column: string; readonly identity: Identity }
    | { readonly kind: 'alterIdentity'; readonly table: string; readonly column: string; readonly from: Identity; readonly to: Identity }
    | {
        readonly kind: 'dropExpression';
        readonly table: string;
        /** The column as it is afterwards (a plain column). */
        readonly column: Column;
        readonly expression: string;
      }
    | { readonly kind: 'addConstraint'; readonly table: string; readonly constraint: Constraint }
    | { readonly kind: 'dropConstraint'; readonly table: string; readonly constraint: Constraint }
    | { readonly kind: 'renameConstraint'; readonly table: string; readonly from: string; readonly to: string }
    | { readonly kind: 'createIndex'; readonly table: string; readonly index: Index }
    | { readonly kind: 'dropIndex'; readonly table: string; readonly index: Index }
    | { readonly kind: 'renameIndex'; readonly from: string; readonly to: string }
    | { readonly kind: 'createView'; readonly view: View }
    | { readonly kind: 'dropView'; readonly view: View }
    | {
        readonly kind: 'replaceView';
        readonly from: View;
        readonly to: View;
        /**
         * When `from` cannot replace `to` in place (the change added columns), operations that
         * create, in order, the objects depending on the view before the change: the reverse
         * drops them (in reverse), drops and re-creates the view, then runs them.
         */
        readonly dependants?: readonly Operation[];
      }
    | { readonly kind: 'createRoutine'; readonly routine: Routine }
    | { readonly kind: 'dropRoutine'; readonly routine: Routine }
    | { readonly kind: 'replaceRoutine'; readonly from: Routine; readonly to: Routine }
    | { readonly kind: 'createTrigger'; readonly trigger: Trigger }
    | { readonly kind: 'dropTrigger'; readonly trigger: Trigger }
    | { readonly kind: 'setTriggerEnabled'; readonly table: string; readonly name: string; readonly from: Trigger['enabled']; readonly to: Trigger['enabled'] }
    | { readonly kind: 'createPolicy'; readonly policy: Policy }
    | { readonly kind: 'dropPolicy'; readonly policy: Policy }
    | { readonly kind: 'alterPolicy'; readonly from: Policy; readonly to: Policy }
    | { readonly kind: 'setComment'; readonly target: ObjectTarget; readonly from: string | null; readonly to: string | null }
    | {
        readonly kind: 'alterOwner';
        readonly target: OwnedTarget;
        /** Role names; null is the role applying the operations (`SESSION_USER`). */
        readonly from: string | null;
        readonly to: string | null;
      }
    | { readonly kind: 'grant'; readonly target: ObjectTarget; readonly grant: Grant }
    | { readonly kind: 'revoke'; readonly target: ObjectTarget; readonly grant: Grant }
  );

export type OperationKind = Operation['kind'];

/** The operation of kind `K`. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { readonly kind: K }>;

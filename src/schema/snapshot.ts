/**
 * The plain, readonly description of one PostgreSQL schema that the diff compares.
 *
 * A snapshot never contains the name of the schema it was read from: references to the
 * schema's own objects are unqualified (definitions are read with `search_path` set to
 * that schema), references to objects of other schemas stay qualified. The same objects
 * read from schema `a` and from schema `b` therefore produce equal snapshots.
 *
 * Routine bodies, which PostgreSQL keeps as written, name the schema through the sentinels of
 * `own-schema.ts` instead.
 *
 * Type names, expressions and definitions are PostgreSQL's own text (`format_type`,
 * `pg_get_expr`, `pg_get_*def`), already quoted where PostgreSQL needs quotes.
 */

export { OWN_SCHEMA_ID, OWN_SCHEMA_LITERAL } from './own-schema';

/** Identity of an object inside a snapshot, see {@link objectKey} in `object-key.ts`. */
export type ObjectKey = string;

/**
 * Stands, as a grantee or a policy's role, for the role that read the catalog (the login user):
 * a grant to the application's own user in the target and one to the dev database's user are
 * the same grant. Renderers write it as `SESSION_USER`.
 */
export const READER_ROLE = '\u0000reader\u0000';

/** One privilege that differs from PostgreSQL's default ACL for the object. */
export interface Grant {
  /** Role name, `PUBLIC`, or {@link READER_ROLE}. */
  readonly grantee: string;
  /** `SELECT`, `INSERT`, `USAGE`, `EXECUTE`, ... */
  readonly privilege: string;
  readonly grantable: boolean;
}

/** Privileges relative to the default ACL of a fresh object owned by the same role. */
export interface Grants {
  /** Granted beyond the default. */
  readonly granted: readonly Grant[];
  /** Revoked from the default (for example the owner's own `SELECT`, or `PUBLIC`'s `EXECUTE`). */
  readonly revoked: readonly Grant[];
}

/** A table or view, in the schema being read (`schema: null`) or in another one. */
export interface RelationRef {
  readonly schema: string | null;
  readonly name: string;
}

/**
 * An extension installed in the schema, or one the schema uses from elsewhere (a type, a
 * function, or a procedural language such as plpython3u, which is an extension since
 * PostgreSQL 13; plpgsql, in every database, is left out).
 */
export interface Extension {
  readonly name: string;
  readonly version: string;
  /** `null` when installed in the schema being read, otherwise the schema's name. */
  readonly schema: string | null;
  /** Only a superuser may create it (the extension is neither trusted nor superuser-free). */
  readonly privileged: boolean;
}

export interface Collation {
  readonly name: string;
  /** `libc`, `icu` or `builtin`. */
  readonly provider: string;
  readonly lcCollate: string | null;
  readonly lcCtype: string | null;
  /** ICU locale (or builtin locale). */
  readonly locale: string | null;
  readonly deterministic: boolean;
  readonly comment: string | null;
}

export interface EnumType {
  readonly name: string;
  /** Labels in sort order. */
  readonly labels: readonly string[];
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

export interface DomainConstraint {
  readonly name: string;
  /** `CHECK (...)` as given by pg_get_constraintdef. */
  readonly definition: string;
}

export interface Domain {
  readonly name: string;
  readonly baseType: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly constraints: readonly DomainConstraint[];
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

/** Options shared by sequences and identity columns. Numbers are kept as text (int8). */
export interface SequenceOptions {
  /** `smallint`, `integer` or `bigint`. */
  readonly dataType: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface Sequence extends SequenceOptions {
  readonly name: string;
  /** The column (of a table in the same schema) the sequence is `OWNED BY`, if any. */
  readonly ownedBy: { readonly table: string; readonly column: string } | null;
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

export interface Identity extends SequenceOptions {
  readonly generation: 'always' | 'by default';
  /** Name of the identity's internal sequence (in the same schema as the table). */
  readonly sequenceName: string;
}

export interface Column {
  readonly name: string;
  /** `format_type` text, e.g. `character varying(10)`, `e[]`, `public.hstore`. */
  readonly type: string;
  /** True when the type (or the array's element type) is an enum: conversions go through text. */
  readonly enumType: boolean;
  /** Explicit collation (only when it differs from the type's default), e.g. `"C"`, `numeric`. */
  readonly collation: string | null;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: Identity | null;
  /** Expression of a `GENERATED ALWAYS AS (...) STORED` column. */
  readonly generated: string | null;
  /** Inherited from a parent table (`attinhcount > 0`). */
  readonly inherited: boolean;
  /** Defined locally (`attislocal`); false for columns that only come from a parent. */
  readonly local: boolean;
  readonly comment: string | null;
  readonly grants: Grants;
}

export type ConstraintKind = 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclude';

export interface Constraint {
  readonly name: string;
  readonly kind: ConstraintKind;
  /** pg_get_constraintdef text, e.g. `FOREIGN KEY (bb) REFERENCES b(bb) DEFERRABLE`. */
  readonly definition: string;
  /** Constrained columns, in order. */
  readonly columns: readonly string[];
  /** Referenced table of a foreign key. */
  readonly references: RelationRef | null;
  /** PostgreSQL generated the name (`t_pkey`, `t_a_key`, ...): compare by definition, not name. */
  readonly generatedName: boolean;
  /**
   * On a partition: the constraint of the partitioned parent this one belongs to (a primary
   * key, unique or exclusion constraint, or the partition's copy of a foreign key). It comes
   * and goes with the parent's (PostgreSQL creates it with the parent's, or when the
   * partition is created or attached, adopting a matching one); only its name is its own.
   */
  readonly attachedTo: string | null;
  readonly comment: string | null;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  /** `CREATE INDEX ... ON ONLY` (an index of a partitioned table that does not recurse). */
  readonly only: boolean;
  /** What follows `USING` in pg_get_indexdef, e.g. `btree (lower(name)) WHERE (x > 0)`. */
  readonly definition: string;
  readonly columns: readonly string[];
  readonly generatedName: boolean;
  /** On a partition: the index of the partitioned parent this one is attached to (see {@link Constraint.attachedTo}). */
  readonly attachedTo: string | null;
  readonly comment: string | null;
}

/** `REPLICA IDENTITY` of a table: which old values logical replication sends for updates and deletes. */
export type ReplicaIdentity = 'default' | 'nothing' | 'full' | { readonly index: string };

export interface Table {
  readonly name: string;
  readonly persistence: 'logged' | 'unlogged';
  /** `RANGE (logdate)` for a partitioned table. */
  readonly partitionKey: string | null;
  /** Set when the table is a partition. */
  readonly partitionOf: { readonly parent: RelationRef; readonly bound: string } | null;
  /** `INHERITS` parents (not partition parents), in order. */
  readonly inherits: readonly RelationRef[];
  readonly columns: readonly Column[];
  readonly constraints: readonly Constraint[];
  readonly indexes: readonly Index[];
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  /** reloptions, e.g. `fillfactor=70`. */
  readonly options: readonly string[];
  /** `default` (the primary key), `nothing`, `full`, or a unique index; each partition has its own. */
  readonly replicaIdentity: ReplicaIdentity;
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

export interface ViewColumn {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
  readonly comment: string | null;
}

export interface View {
  readonly name: string;
  readonly materialized: boolean;
  /** pg_get_viewdef text (own schema unqualified). */
  readonly definition: string;
  readonly columns: readonly ViewColumn[];
  /** reloptions, e.g. `security_barrier=true`, `check_option=local`. */
  readonly options: readonly string[];
  /** Indexes of a materialized view. */
  readonly indexes: readonly Index[];
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

export interface Routine {
  readonly name: string;
  readonly kind: 'function' | 'procedure';
  /** Input argument types, e.g. `integer, text[]`: with the name, the routine's identity. */
  readonly argumentTypes: string;
  /** pg_get_function_identity_arguments, e.g. `i integer, t text[]`. */
  readonly identityArguments: string;
  /** pg_get_function_arguments (with defaults). */
  readonly arguments: string;
  /** pg_get_function_result, null for procedures. */
  readonly result: string | null;
  readonly language: string;
  /** Its language is untrusted (`c`, `internal`, `plpython3u`, ...): only a superuser may create it. */
  readonly privileged: boolean;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  /**
   * pg_get_functiondef after the qualified name: `(args)\n RETURNS ...\n LANGUAGE ...\nAS $function$...`;
   * mentions of the own schema are the sentinels of `own-schema.ts`.
   */
  readonly definition: string;
  readonly comment: string | null;
  readonly grants: Grants;
  /** The owning role, or `null` when it is the role that read the snapshot (the usual case: the login user). */
  readonly owner: string | null;
}

export interface Trigger {
  readonly name: string;
  /** Table or view the trigger is on. */
  readonly table: string;
  readonly constraint: boolean;
  /** Between the name and `ON`, e.g. `BEFORE INSERT OR UPDATE`. */
  readonly events: string;
  /** After the table name, e.g. `FOR EACH ROW EXECUTE FUNCTION emp_stamp()`. */
  readonly body: string;
  /** `O` origin (enabled), `D` disabled, `R` replica, `A` always. */
  readonly enabled: 'O' | 'D' | 'R' | 'A';
  readonly comment: string | null;
}

export interface Policy {
  readonly name: string;
  readonly table: string;
  readonly permissive: boolean;
  /** `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`. */
  readonly command: string;
  /** Role names, `PUBLIC`, or {@link READER_ROLE}. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly withCheck: string | null;
  readonly comment: string | null;
}

/**
 * An object of another schema that depends on an object of this one (a view over one of its
 * tables, a foreign key to one, a partition of one, a column of one of its types): dropping
 * or re-creating the object here would fail, or take the other schema's object with it.
 */
export interface OutsideDependant {
  /** The object of this schema. */
  readonly object: ObjectKey;
  /** The other object's schema. */
  readonly schema: string;
  /** Its kind as pg_identify_object says it: `view`, `table constraint`, `function`, `table`, ... */
  readonly kind: string;
  /** pg_describe_object's words for it, e.g. `view reports.monthly`. */
  readonly description: string;
}

/** `object` depends on `dependsOn` (from pg_depend, pg_rewrite included). */
export interface Dependency {
  readonly object: ObjectKey;
  readonly dependsOn: ObjectKey;
}

export interface Snapshot {
  readonly extensions: readonly Extension[];
  readonly collations: readonly Collation[];
  readonly enums: readonly EnumType[];
  readonly domains: readonly Domain[];
  readonly sequences: readonly Sequence[];
  readonly tables: readonly Table[];
  readonly views: readonly View[];
  readonly routines: readonly Routine[];
  readonly triggers: readonly Trigger[];
  readonly policies: readonly Policy[];
  readonly dependencies: readonly Dependency[];
}

const outside = Symbol('outsideDependants');

/**
 * The objects of other schemas that depend on a snapshot's objects, when it was read from a
 * database (`readSnapshot`); none otherwise. They are not part of the snapshot's data: they
 * describe what surrounds the schema, not the schema, so two snapshots of the same objects
 * compare equal whatever depends on them elsewhere (the property is not enumerable, and a copy
 * made by spreading does not carry it).
 *
 * @example
 * ```ts
 * outsideDependantsOf(await readSnapshot(db, 'crmp'))
 * // [{ object: 'table:"station"', schema: 'reports', kind: 'view', description: 'view reports.monthly' }]
 * ```
 */
export function outsideDependantsOf(snapshot: Snapshot): readonly OutsideDependant[] {
  return (snapshot as { [outside]?: readonly OutsideDependant[] })[outside] ?? [];
}

/** Attaches the outside dependants to a snapshot (computed on first read). */
export function withOutsideDependants(snapshot: Snapshot, read: () => readonly OutsideDependant[]): Snapshot {
  let value: readonly OutsideDependant[] | undefined;
  Object.defineProperty(snapshot, outside, { enumerable: false, get: () => (value ??= read()) });
  return snapshot;
}

/** A snapshot of a schema that holds nothing (or does not exist). */
export const emptySnapshot: Snapshot = Object.freeze({
  extensions: [],
  collations: [],
  enums: [],
  domains: [],
  sequences: [],
  tables: [],
  views: [],
  routines: [],
  triggers: [],
  policies: [],
  dependencies: [],
});

/** Grants equal to the default ACL. */
export const defaultGrants: Grants = Object.freeze({ granted: [], revoked: [] });

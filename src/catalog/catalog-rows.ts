/** Row shapes returned by the queries in `queries.ts` (oids as text). */
import type { Grants } from '../schema/snapshot';

export interface RelationRow {
  oid: string;
  name: string;
  kind: 'r' | 'p' | 'v' | 'm' | 'S';
  persistence: 'p' | 'u' | 't';
  row_security: boolean;
  force_row_security: boolean;
  options: string[];
  type_oid: string;
  array_type_oid: string | null;
  partition_key: string | null;
  /** relreplident: d(efault), n(othing), f(ull), i(ndex). */
  replica_identity: 'd' | 'n' | 'f' | 'i';
  replica_identity_index: string | null;
  owner: string | null;
  partition_bound: string | null;
  view_definition: string | null;
  grants: Grants | null;
}

export interface InheritsRow {
  oid: string;
  seqno: number;
  parent_schema: string | null;
  parent: string;
  partition: boolean;
}

export interface ColumnRow {
  rel_oid: string;
  name: string;
  attnum: number;
  type: string;
  enum_type: boolean;
  collation: string | null;
  not_null: boolean;
  default: string | null;
  generated: string | null;
  identity: '' | 'a' | 'd';
  inherited: boolean;
  local: boolean;
  grants: Grants | null;
}

export interface SequenceRow {
  oid: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  min_value: string;
  max_value: string;
  cache: string;
  cycle: boolean;
  owner_kind: 'a' | 'i' | null;
  owner_oid: string | null;
  owner_table: string | null;
  owner_column: string | null;
}

export interface ConstraintRow {
  oid: string;
  rel_oid: string;
  name: string;
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  definition: string;
  column_numbers: number[];
  index_columns: string[] | null;
  references_schema: string | null;
  references: string | null;
  index_oid: string | null;
  attached_to: string | null;
}

export interface IndexRow {
  oid: string;
  rel_oid: string;
  name: string;
  unique: boolean;
  definition: string;
  qualified_table: string;
  columns: string[];
  attached_to: string | null;
}

export interface OutsideDependantRow {
  ref_class: string;
  ref_oid: string;
  ref_sub: number;
  schema: string;
  kind: string;
  description: string;
}

export interface TriggerRow {
  oid: string;
  rel_oid: string;
  name: string;
  definition: string;
  enabled: 'O' | 'D' | 'R' | 'A';
  is_constraint: boolean;
  qualified_table: string;
}

export interface PolicyRow {
  oid: string;
  rel_oid: string;
  name: string;
  permissive: boolean;
  command: '*' | 'r' | 'a' | 'w' | 'd';
  /** null: the reading role. */
  roles: Array<string | null>;
  using: string | null;
  with_check: string | null;
}

export interface TypeRow {
  oid: string;
  name: string;
  kind: 'e' | 'd';
  array_type_oid: string | null;
  labels: string[] | null;
  base_type: string | null;
  owner: string | null;
  not_null: boolean;
  default: string | null;
  collation: string | null;
  grants: Grants | null;
}

export interface DomainConstraintRow {
  oid: string;
  type_oid: string;
  name: string;
  definition: string;
}

export interface RoutineRow {
  oid: string;
  name: string;
  kind: 'f' | 'p' | 'w';
  argument_types: string;
  identity_arguments: string;
  arguments: string;
  result: string | null;
  language: string;
  privileged: boolean;
  owner: string | null;
  volatility: 'i' | 's' | 'v';
  strict: boolean;
  security_definer: boolean;
  definition: string;
  qualified_name: string;
  grants: Grants | null;
}

export interface CollationRow {
  oid: string;
  name: string;
  provider: string;
  lc_collate: string | null;
  lc_ctype: string | null;
  locale: string | null;
  deterministic: boolean;
}

export interface ExtensionRow {
  oid: string;
  name: string;
  version: string;
  own: boolean;
  privileged: boolean;
  schema: string;
}

export interface DependencyRow {
  class: string;
  oid: string;
  sub: number;
  relid: string;
  attnum: number;
  ref_class: string;
  ref_oid: string;
  ref_sub: number;
  kind: 'n' | 'a' | 'i';
}

export interface ExtensionMemberRow {
  class: string;
  oid: string;
  extension: string;
}

export interface CommentRow {
  class: string;
  oid: string;
  sub: number;
  comment: string;
}

/** Everything the reader fetched for one schema. */
export interface CatalogRows {
  relations: RelationRow[];
  inherits: InheritsRow[];
  columns: ColumnRow[];
  sequences: SequenceRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  triggers: TriggerRow[];
  policies: PolicyRow[];
  types: TypeRow[];
  domainConstraints: DomainConstraintRow[];
  routines: RoutineRow[];
  collations: CollationRow[];
  extensions: ExtensionRow[];
  dependencies: DependencyRow[];
  extensionMembers: ExtensionMemberRow[];
  comments: CommentRow[];
  outsideDependants: OutsideDependantRow[];
}

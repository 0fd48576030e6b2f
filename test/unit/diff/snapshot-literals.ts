/** Short-hands to write literal snapshots in unit tests. */
import { objectKey } from '../../../src/schema/object-key';
import type { Column, Constraint, Dependency, EnumType, Index, Policy, Routine, Sequence, Snapshot, Table, Trigger, View } from '../../../src/schema/snapshot';
import { defaultGrants, emptySnapshot } from '../../../src/schema/snapshot';

export function col(name: string, type = 'integer', extra: Partial<Column> = {}): Column {
  return {
    name,
    type,
    enumType: false,
    collation: null,
    notNull: false,
    default: null,
    identity: null,
    generated: null,
    inherited: false,
    local: true,
    comment: null,
    grants: defaultGrants,
    ...extra,
  };
}

export function table(name: string, columns: readonly Column[], extra: Partial<Table> = {}): Table {
  return {
    name,
    persistence: 'logged',
    partitionKey: null,
    partitionOf: null,
    inherits: [],
    columns,
    constraints: [],
    indexes: [],
    rowSecurity: false,
    forceRowSecurity: false,
    options: [],
    replicaIdentity: 'default',
    comment: null,
    grants: defaultGrants,
    owner: null,
    ...extra,
  };
}

export function constraint(
  name: string,
  kind: Constraint['kind'],
  definition: string,
  columns: readonly string[],
  extra: Partial<Constraint> = {},
): Constraint {
  return { name, kind, definition, columns, references: null, generatedName: false, attachedTo: null, comment: null, ...extra };
}

export function index(name: string, definition: string, extra: Partial<Index> = {}): Index {
  return { name, unique: false, only: false, definition, columns: [], generatedName: false, attachedTo: null, comment: null, ...extra };
}

export function view(name: string, definition: string, columns: readonly [string, string][], extra: Partial<View> = {}): View {
  return {
    name,
    materialized: false,
    definition,
    columns: columns.map(([n, t]) => ({ name: n, type: t, collation: null, comment: null })),
    options: [],
    indexes: [],
    comment: null,
    grants: defaultGrants,
    owner: null,
    ...extra,
  };
}

export function routine(name: string, body: string, extra: Partial<Routine> = {}): Routine {
  return {
    name,
    kind: 'function',
    argumentTypes: '',
    identityArguments: '',
    arguments: '',
    result: 'integer',
    language: 'sql',
    privileged: false,
    volatility: 'volatile',
    strict: false,
    securityDefiner: false,
    definition: `()\n RETURNS integer\n LANGUAGE sql\nAS $function$${body}$function$\n`,
    comment: null,
    grants: defaultGrants,
    owner: null,
    ...extra,
  };
}

export function enumType(name: string, labels: readonly string[]): EnumType {
  return { name, labels, comment: null, grants: defaultGrants, owner: null };
}

export function sequence(name: string, extra: Partial<Sequence> = {}): Sequence {
  return {
    name,
    dataType: 'integer',
    start: '1',
    increment: '1',
    minValue: '1',
    maxValue: '2147483647',
    cache: '1',
    cycle: false,
    ownedBy: null,
    comment: null,
    grants: defaultGrants,
    owner: null,
    ...extra,
  };
}

export function trigger(name: string, tableName: string, extra: Partial<Trigger> = {}): Trigger {
  return {
    name,
    table: tableName,
    constraint: false,
    events: 'BEFORE INSERT',
    body: 'FOR EACH ROW EXECUTE FUNCTION touch()',
    enabled: 'O',
    comment: null,
    ...extra,
  };
}

export function policy(name: string, tableName: string, extra: Partial<Policy> = {}): Policy {
  return { name, table: tableName, permissive: true, command: 'ALL', roles: ['PUBLIC'], using: 'true', withCheck: null, comment: null, ...extra };
}

export function dep(object: string, dependsOn: string): Dependency {
  return { object, dependsOn };
}

export const k = objectKey;

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot, ...parts };
}

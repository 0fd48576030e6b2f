/**
 * Every operation as neutral statements (see `fragments.ts`), shared by the SQL and the
 * revision renderers.
 */
import { assertNever } from '../errors';
import type { Operation, OperationOf } from '../operations/operation';
import { makeObjectName } from '../schema/generated-names';
import type { Domain, Policy, Routine, Trigger, View } from '../schema/snapshot';
import { quoteLiteral } from '../schema/sql-text';
import { commentStatement, grantStatement, grantsStatements, optionKey, ownerStatements, revokeStatement, targetSql } from './common-statements';
import type { Fragment, Statement } from './fragments';
import { id, join, lit, q, role, schemaName, stmt, text } from './fragments';
import {
  addConstraintStatements,
  createIndexStatements,
  createSequenceStatements,
  sequenceBoundStatements,
  sequenceChanges,
  tableStatements,
} from './table-statements';

/** Name the old enum has while a re-creation converts its columns. */
export function retiredEnumName(type: string): string {
  return makeObjectName(type, null, 'retort_old');
}

function labels(values: readonly string[]): string {
  return values.map(quoteLiteral).join(', ');
}

/** pg_get_viewdef ends with `;`. */
function viewQuery(view: View): string {
  return view.definition.replace(/;\s*$/, '');
}

export function createViewStatements(view: View): Statement[] {
  const kind = view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  const options = view.options.length > 0 ? ` WITH (${view.options.join(', ')})` : '';
  const target = { kind: view.materialized ? ('materialized view' as const) : ('view' as const), name: view.name };
  const out: Statement[] = [
    stmt`CREATE ${kind} ${q(view.name)}${options} AS\n${viewQuery(view)}${view.materialized ? '\nWITH NO DATA' : ''}`,
    ...ownerStatements(target, view.owner),
  ];
  for (const i of view.indexes) out.push(...createIndexStatements(view.name, i));
  if (view.materialized) out.push(stmt`REFRESH MATERIALIZED VIEW ${q(view.name)}`);
  if (view.comment !== null) out.push(commentStatement(target, view.comment));
  for (const c of view.columns) {
    if (c.comment !== null) out.push(commentStatement({ kind: 'column', table: view.name, name: c.name }, c.comment));
  }
  out.push(...grantsStatements(target, view.grants));
  return out;
}

function replaceViewStatements(from: View, to: View): Statement[] {
  const out: Statement[] = [];
  const toKeys = new Set(to.options.map(optionKey));
  const reset = from.options.map(optionKey).filter((k) => !toKeys.has(k));
  const options = to.options.length > 0 ? ` WITH (${to.options.join(', ')})` : '';
  out.push(stmt`CREATE OR REPLACE VIEW ${q(to.name)}${options} AS\n${viewQuery(to)}`);
  if (reset.length > 0) out.push(stmt`ALTER VIEW ${q(to.name)} RESET (${reset.join(', ')})`);
  return out;
}

function routineTarget(routine: Routine) {
  return { kind: routine.kind, name: routine.name, arguments: routine.identityArguments } as const;
}

function routineHead(routine: Routine): Fragment[] {
  return stmt`CREATE OR REPLACE ${routine.kind.toUpperCase()} ${q(routine.name)}${routine.definition.replace(/\n$/, '')}`;
}

export function createRoutineStatements(routine: Routine): Statement[] {
  const out: Statement[] = [routineHead(routine), ...ownerStatements(routineTarget(routine), routine.owner)];
  if (routine.comment !== null) out.push(commentStatement(routineTarget(routine), routine.comment));
  out.push(...grantsStatements(routineTarget(routine), routine.grants));
  return out;
}

const triggerEnabling = { O: 'ENABLE', D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' } as const;

export function createTriggerStatements(trigger: Trigger): Statement[] {
  const out: Statement[] = [
    stmt`CREATE ${trigger.constraint ? 'CONSTRAINT ' : ''}TRIGGER ${id(trigger.name)} ${trigger.events} ON ${q(trigger.table)} ${trigger.body}`,
  ];
  if (trigger.enabled !== 'O') out.push(stmt`ALTER TABLE ${q(trigger.table)} ${triggerEnabling[trigger.enabled]} TRIGGER ${id(trigger.name)}`);
  if (trigger.comment !== null) out.push(commentStatement({ kind: 'trigger', table: trigger.table, name: trigger.name }, trigger.comment));
  return out;
}

function policyRoles(policy: Policy): Fragment[] {
  return join(
    policy.roles.map((r) => [role(r)]),
    ', ',
  );
}

export function createPolicyStatements(policy: Policy): Statement[] {
  const parts: Fragment[] = stmt`CREATE POLICY ${id(policy.name)} ON ${q(policy.table)} AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command} TO ${policyRoles(policy)}`;
  if (policy.using !== null) parts.push(...stmt` USING (${policy.using})`);
  if (policy.withCheck !== null) parts.push(...stmt` WITH CHECK (${policy.withCheck})`);
  const out: Statement[] = [parts];
  if (policy.comment !== null) out.push(commentStatement({ kind: 'policy', table: policy.table, name: policy.name }, policy.comment));
  return out;
}

function alterPolicyStatements(from: Policy, to: Policy): Statement[] {
  const parts: Fragment[] = stmt`ALTER POLICY ${id(to.name)} ON ${q(to.table)}`;
  if (from.roles.join() !== to.roles.join()) parts.push(...stmt` TO ${policyRoles(to)}`);
  if (from.using !== to.using && to.using !== null) parts.push(...stmt` USING (${to.using})`);
  if (from.withCheck !== to.withCheck && to.withCheck !== null) parts.push(...stmt` WITH CHECK (${to.withCheck})`);
  return [parts];
}

export function createDomainStatements(domain: Domain): Statement[] {
  const parts: Fragment[] = stmt`CREATE DOMAIN ${q(domain.name)} AS ${domain.baseType}`;
  if (domain.collation !== null) parts.push(...stmt` COLLATE ${domain.collation}`);
  if (domain.default !== null) parts.push(...stmt` DEFAULT ${domain.default}`);
  if (domain.notNull) parts.push(text(' NOT NULL'));
  for (const c of domain.constraints) parts.push(...stmt` CONSTRAINT ${id(c.name)} ${c.definition}`);
  const out: Statement[] = [parts, ...ownerStatements({ kind: 'domain', name: domain.name }, domain.owner)];
  if (domain.comment !== null) out.push(commentStatement({ kind: 'domain', name: domain.name }, domain.comment));
  out.push(...grantsStatements({ kind: 'domain', name: domain.name }, domain.grants));
  return out;
}

function alterDomainStatements(from: Domain, to: Domain): Statement[] {
  const out: Statement[] = [];
  const name = q(to.name);
  const toConstraints = new Map(to.constraints.map((c) => [c.name, c.definition]));
  const fromConstraints = new Map(from.constraints.map((c) => [c.name, c.definition]));
  for (const [c, def] of fromConstraints) if (toConstraints.get(c) !== def) out.push(stmt`ALTER DOMAIN ${name} DROP CONSTRAINT ${id(c)}`);
  if (from.default !== to.default) {
    out.push(to.default === null ? stmt`ALTER DOMAIN ${name} DROP DEFAULT` : stmt`ALTER DOMAIN ${name} SET DEFAULT ${to.default}`);
  }
  if (from.notNull !== to.notNull) out.push(stmt`ALTER DOMAIN ${name} ${to.notNull ? 'SET' : 'DROP'} NOT NULL`);
  for (const [c, def] of toConstraints) if (fromConstraints.get(c) !== def) out.push(stmt`ALTER DOMAIN ${name} ADD CONSTRAINT ${id(c)} ${def}`);
  return out;
}

function recreateEnumStatements(op: OperationOf<'recreateEnum'>): Statement[] {
  const retired = retiredEnumName(op.type);
  const out: Statement[] = [stmt`ALTER TYPE ${q(op.type)} RENAME TO ${id(retired)}`, stmt`CREATE TYPE ${q(op.type)} AS ENUM (${labels(op.toLabels)})`];
  for (const c of op.columns) {
    const table = q(c.table);
    const column = id(c.column);
    if (c.default !== null) out.push(stmt`ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT`);
    const suffix = c.array ? '[]' : '';
    out.push(stmt`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${q(op.type)}${suffix} USING ${column}::text${suffix}::${q(op.type)}${suffix}`);
    if (c.default !== null) out.push(stmt`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT ${c.default}`);
  }
  out.push(stmt`DROP TYPE ${q(retired)}`);
  return out;
}

/**
 * The statements of one operation, in order.
 *
 * @example
 * ```ts
 * toSql(operationStatements({ kind: 'dropView', view })[0], 'crmp') // 'DROP VIEW "crmp"."v"'
 * ```
 */
export function operationStatements(op: Operation): Statement[] {
  switch (op.kind) {
    case 'createExtension': {
      const where = op.extension.schema === null ? schemaName : id(op.extension.schema);
      // a model that names no version gets the server's default one
      const version = op.extension.version === '' ? [] : stmt` VERSION ${lit(op.extension.version)}`;
      return [stmt`CREATE EXTENSION IF NOT EXISTS ${id(op.extension.name)} WITH SCHEMA ${where}${version}`];
    }
    case 'dropExtension':
      return [stmt`DROP EXTENSION IF EXISTS ${id(op.extension.name)}`];
    case 'alterExtension':
      return [stmt`ALTER EXTENSION ${id(op.name)} UPDATE TO ${lit(op.toVersion)}`];
    case 'createCollation': {
      const c = op.collation;
      const options: string[] = [`provider = ${c.provider}`];
      if (c.provider === 'libc') {
        if (c.lcCollate !== null) options.push(`lc_collate = ${quoteLiteral(c.lcCollate)}`);
        if (c.lcCtype !== null) options.push(`lc_ctype = ${quoteLiteral(c.lcCtype)}`);
      } else if (c.locale !== null) options.push(`locale = ${quoteLiteral(c.locale)}`);
      if (!c.deterministic) options.push('deterministic = false');
      const out: Statement[] = [stmt`CREATE COLLATION ${q(c.name)} (${options.join(', ')})`];
      if (c.comment !== null) out.push(commentStatement({ kind: 'collation', name: c.name }, c.comment));
      return out;
    }
    case 'dropCollation':
      return [stmt`DROP COLLATION ${q(op.collation.name)}`];
    case 'createEnum': {
      const out: Statement[] = [
        stmt`CREATE TYPE ${q(op.enum.name)} AS ENUM (${labels(op.enum.labels)})`,
        ...ownerStatements({ kind: 'type', name: op.enum.name }, op.enum.owner),
      ];
      if (op.enum.comment !== null) out.push(commentStatement({ kind: 'type', name: op.enum.name }, op.enum.comment));
      out.push(...grantsStatements({ kind: 'type', name: op.enum.name }, op.enum.grants));
      return out;
    }
    case 'dropEnum':
      return [stmt`DROP TYPE ${q(op.enum.name)}`];
    case 'addEnumValue': {
      const position = op.before !== null ? ` BEFORE ${quoteLiteral(op.before)}` : op.after !== null ? ` AFTER ${quoteLiteral(op.after)}` : '';
      return [stmt`ALTER TYPE ${q(op.type)} ADD VALUE ${lit(op.value)}${position}`];
    }
    case 'recreateEnum':
      return recreateEnumStatements(op);
    case 'createDomain':
      return createDomainStatements(op.domain);
    case 'dropDomain':
      return [stmt`DROP DOMAIN ${q(op.domain.name)}`];
    case 'alterDomain':
      return alterDomainStatements(op.from, op.to);
    case 'createSequence':
      return createSequenceStatements(op.sequence);
    case 'dropSequence':
      return [stmt`DROP SEQUENCE ${q(op.sequence.name)}`];
    case 'alterSequence': {
      const parts = sequenceChanges(op.from, op.to, '');
      return parts.length === 0 ? [] : [...sequenceBoundStatements(op.name, op.from, op.to), stmt`ALTER SEQUENCE ${q(op.name)} ${parts.join(' ')}`];
    }
    case 'setSequenceOwner':
      return [op.to === null ? stmt`ALTER SEQUENCE ${q(op.name)} OWNED BY NONE` : stmt`ALTER SEQUENCE ${q(op.name)} OWNED BY ${q(op.to.table, op.to.column)}`];
    case 'renameSequence':
      return [stmt`ALTER SEQUENCE ${q(op.from)} RENAME TO ${id(op.to)}`];
    case 'createTable':
    case 'dropTable':
    case 'renameTable':
    case 'setTablePersistence':
    case 'setTableOptions':
    case 'setRowSecurity':
    case 'setReplicaIdentity':
    case 'attachPartition':
    case 'detachPartition':
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
      return tableStatements(op);
    case 'addConstraint':
      return addConstraintStatements(op.table, op.constraint);
    case 'dropConstraint':
      return [stmt`ALTER TABLE ${q(op.table)} DROP CONSTRAINT ${id(op.constraint.name)}`];
    case 'renameConstraint':
      return [stmt`ALTER TABLE ${q(op.table)} RENAME CONSTRAINT ${id(op.from)} TO ${id(op.to)}`];
    case 'createIndex':
      return createIndexStatements(op.table, op.index);
    case 'dropIndex':
      return [stmt`DROP INDEX ${q(op.index.name)}`];
    case 'renameIndex':
      return [stmt`ALTER INDEX ${q(op.from)} RENAME TO ${id(op.to)}`];
    case 'createView':
      return createViewStatements(op.view);
    case 'dropView':
      return [stmt`DROP ${op.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${q(op.view.name)}`];
    case 'replaceView':
      return replaceViewStatements(op.from, op.to);
    case 'createRoutine':
      return createRoutineStatements(op.routine);
    case 'dropRoutine':
      return [stmt`DROP ${op.routine.kind.toUpperCase()} ${q(op.routine.name)}(${op.routine.identityArguments})`];
    case 'replaceRoutine':
      return [routineHead(op.to)];
    case 'createTrigger':
      return createTriggerStatements(op.trigger);
    case 'dropTrigger':
      return [stmt`DROP TRIGGER ${id(op.trigger.name)} ON ${q(op.trigger.table)}`];
    case 'setTriggerEnabled':
      return [stmt`ALTER TABLE ${q(op.table)} ${triggerEnabling[op.to]} TRIGGER ${id(op.name)}`];
    case 'createPolicy':
      return createPolicyStatements(op.policy);
    case 'dropPolicy':
      return [stmt`DROP POLICY ${id(op.policy.name)} ON ${q(op.policy.table)}`];
    case 'alterPolicy':
      return alterPolicyStatements(op.from, op.to);
    case 'setComment':
      return [commentStatement(op.target, op.to)];
    case 'alterOwner':
      // SESSION_USER: the login role, also under SET ROLE
      return [stmt`ALTER ${targetSql(op.target)} OWNER TO ${op.to === null ? text('SESSION_USER') : role(op.to)}`];
    case 'grant':
      return [grantStatement(op.target, op.grant)];
    case 'revoke':
      return [revokeStatement(op.target, op.grant)];
    default:
      return assertNever(op, 'operation');
  }
}

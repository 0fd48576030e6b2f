/**
 * What to tell a user whose login role lacks a privilege: the grant that fixes it. PostgreSQL
 * reports a missing privilege as SQLSTATE 42501 with `permission denied for <kind> <name>`;
 * Retort also checks some privileges itself before any DDL (preflight).
 */
import { quoteIdentIfNeeded } from '../schema/sql-text';

/** True for PostgreSQL's `insufficient_privilege` (42501). */
export function isPermissionDenied(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '42501';
}

/**
 * The GRANT that fixes a `permission denied for <kind> <name>` error, for `user`, with the
 * target schema for unqualified relation names; undefined when the message says too little.
 *
 * @example
 * ```ts
 * grantFor('permission denied for table alembic_version', 'app', 'crmp')
 * // 'GRANT SELECT, INSERT, UPDATE, DELETE ON crmp.alembic_version TO app'
 * grantFor('permission denied for schema crmp', 'app', 'crmp') // 'GRANT USAGE, CREATE ON SCHEMA crmp TO app'
 * ```
 */
export function grantFor(message: string, user: string, schema: string): string | undefined {
  const m = /permission denied for (table|relation|sequence|schema|database|function|procedure|view|materialized view|type|language) "?([^"\s]+)"?/i.exec(
    message,
  );
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  const name = m[2]!;
  const to = quoteIdentIfNeeded(user);
  const qualified = name.includes('.') ? name : `${quoteIdentIfNeeded(schema)}.${quoteIdentIfNeeded(name)}`;
  switch (kind) {
    case 'table':
    case 'relation':
    case 'view':
    case 'materialized view':
      return `GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified} TO ${to}`;
    case 'sequence':
      return `GRANT USAGE, SELECT, UPDATE ON SEQUENCE ${qualified} TO ${to}`;
    case 'schema':
      return `GRANT USAGE, CREATE ON SCHEMA ${quoteIdentIfNeeded(name)} TO ${to}`;
    case 'database':
      return `GRANT CONNECT, CREATE ON DATABASE ${quoteIdentIfNeeded(name)} TO ${to}`;
    case 'function':
    case 'procedure':
      return `GRANT EXECUTE ON ${kind.toUpperCase()} ${qualified} TO ${to}`;
    case 'type':
      return `GRANT USAGE ON TYPE ${qualified} TO ${to}`;
    case 'language':
      return `GRANT USAGE ON LANGUAGE ${quoteIdentIfNeeded(name)} TO ${to} (or create the object as the SU role: ctx.asSuperuser)`;
    default:
      return undefined;
  }
}

/**
 * A sentence for a permission error: the grant that fixes it, run by the object's owner or a
 * superuser (`migrate db init` grants what Retort needs on the schemas it sets up).
 */
export function permissionHint(message: string, user: string, schema: string): string {
  const grant = grantFor(message, user, schema);
  return grant
    ? `The login user "${user}" lacks that privilege: have the owner or a superuser run "${grant}" ("migrate db init" grants what Retort needs).`
    : `The login user "${user}" lacks a privilege: have the owner or a superuser grant it ("migrate db init" grants what Retort needs).`;
}

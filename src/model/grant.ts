import { modelMistake } from './sql-text-check';

/** Privileges that can be granted on model objects. */
export type Privilege = 'select' | 'insert' | 'update' | 'delete' | 'truncate' | 'references' | 'trigger' | 'usage' | 'execute' | 'all';

/**
 * What a grant is on: a table, view or materialized view (or some of its columns), a sequence,
 * a function or procedure (by name; `args` as PostgreSQL lists them, e.g. `'integer, text[]'`,
 * tells overloads apart), or a type (enum or domain).
 */
export type GrantTarget =
  | { readonly table: string; readonly columns?: readonly string[] }
  | { readonly sequence: string }
  | { readonly function: string; readonly args?: string }
  | { readonly type: string };

/** A grant or revoke as plain data. */
export interface GrantNode {
  /** `grant` adds to PostgreSQL's default privileges; `revoke` takes from them (e.g. `PUBLIC`'s `EXECUTE`). */
  readonly action?: 'grant' | 'revoke';
  readonly privileges: readonly Privilege[];
  readonly on: GrantTarget;
  /** A role name, `public` for every role, or `session_user` for the role that builds the model. */
  readonly to: string;
  readonly withGrantOption?: boolean;
}

function checked(node: GrantNode): GrantNode {
  if (node.privileges.length === 0) modelMistake(`A ${node.action ?? 'grant'} to ${node.to} names no privileges.`);
  return Object.freeze({ ...node, privileges: Object.freeze([...node.privileges]) });
}

/**
 * Defines a grant. Roles are cluster-wide, so a grant to anything but `public`
 * needs the role to exist before `createAll`.
 *
 * @example
 * ```ts
 * grant({ privileges: ['select'], on: { table: 'crmp_network_geoserver' }, to: 'public' });
 * // GRANT SELECT ON TABLE "crmp"."crmp_network_geoserver" TO PUBLIC
 * ```
 */
export function grant(options: Omit<GrantNode, 'action'>): GrantNode {
  return checked({ ...options, action: 'grant' });
}

/**
 * Defines a revoke of a default privilege.
 *
 * @example
 * ```ts
 * revoke({ privileges: ['execute'], on: { function: 'purge' }, from: 'public' });
 * // REVOKE EXECUTE ON FUNCTION "crmp"."purge"(date) FROM PUBLIC
 * ```
 */
export function revoke(options: { readonly privileges: readonly Privilege[]; readonly on: GrantTarget; readonly from: string }): GrantNode {
  return checked({ action: 'revoke', privileges: options.privileges, on: options.on, to: options.from });
}

/** Privileges that can be granted on model objects. */
export type Privilege =
  | 'select' | 'insert' | 'update' | 'delete' | 'truncate' | 'references' | 'trigger'
  | 'usage' | 'execute' | 'all';

/** What a grant is on: a table, view or materialized view, a sequence, or a function (by name). */
export type GrantTarget =
  | { readonly table: string }
  | { readonly sequence: string }
  | { readonly function: string };

/** A grant as plain data. */
export interface GrantNode {
  readonly privileges: readonly Privilege[];
  readonly on: GrantTarget;
  /** A role name, or `public` for every role. */
  readonly to: string;
}

/**
 * Defines a grant. Roles are cluster-wide, so a grant to anything but `public`
 * needs the role to exist before `createAll`.
 *
 * @example
 * ```ts
 * grant({ privileges: ['select'], on: { table: 'crmp_network_geoserver' }, to: 'public' });
 * // grant select on table "crmp"."crmp_network_geoserver" to public
 * ```
 */
export function grant(options: GrantNode): GrantNode {
  if (options.privileges.length === 0) throw new TypeError('grant without privileges');
  return Object.freeze({ ...options, privileges: Object.freeze([...options.privileges]) });
}

/** An extension as plain data. */
export interface ExtensionNode {
  readonly name: string;
  /** The schema it goes in; default: the model's own schema. */
  readonly schema?: string;
  /** Default: the server's default version. */
  readonly version?: string;
  /** Only a superuser may create it: created through `asSuperuser`. Default: {@link isSuperuserExtension}. */
  readonly privileged: boolean;
}

/**
 * Extensions of PostgreSQL 15's contrib and of PostGIS that only a superuser may create (not
 * marked trusted). Others (hstore, citext, pg_trgm, pgcrypto, ...) a database owner may create.
 */
export const SUPERUSER_EXTENSIONS: readonly string[] = [
  'adminpack',
  'amcheck',
  'address_standardizer',
  'address_standardizer_data_us',
  'dblink',
  'earthdistance',
  'file_fdw',
  'moddatetime',
  'old_snapshot',
  'pageinspect',
  'pg_buffercache',
  'pg_freespacemap',
  'pg_prewarm',
  'pg_stat_statements',
  'pg_surgery',
  'pg_visibility',
  'pg_walinspect',
  'pgrowlocks',
  'pgstattuple',
  'plperlu',
  'plpython3u',
  'pltclu',
  'postgis',
  'postgis_raster',
  'postgis_sfcgal',
  'postgis_tiger_geocoder',
  'postgis_topology',
  'postgres_fdw',
  'sslinfo',
  'xml2',
];

/** Whether creating the extension needs a superuser, by {@link SUPERUSER_EXTENSIONS}. */
export function isSuperuserExtension(name: string): boolean {
  return SUPERUSER_EXTENSIONS.includes(name);
}

/**
 * Declares an extension the model needs, so that building the model creates it first.
 *
 * @example
 * ```ts
 * extension('postgis', { schema: 'public' }); // privileged: created as the SU role
 * // CREATE EXTENSION IF NOT EXISTS "postgis" WITH SCHEMA "public"
 * ```
 */
export function extension(name: string, options: Partial<Omit<ExtensionNode, 'name'>> = {}): ExtensionNode {
  return Object.freeze({ ...options, name, privileged: options.privileged ?? isSuperuserExtension(name) });
}

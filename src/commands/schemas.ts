import { sql } from 'kysely';
import { validateIdentifier } from '../config/target';
import { connectionSettings } from '../target/connection-settings';
import { openSession } from '../target/session';
import { databaseName } from '../target/target-name';

const isWildcard = (pattern: string): boolean => /[*?]/.test(pattern);

/** `tenant_*` -> /^tenant_.*$/: only `*` and `?` are wildcards. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, (c) => `\\${c}`)
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** PostgreSQL's own schemas: the system catalogs, TOAST and temporary schemas. */
export function isSystemSchema(name: string): boolean {
  return /^pg_/i.test(name) || name.toLowerCase() === 'information_schema';
}

/**
 * The names among `existing` that `--schemas <patterns>` selects (`*`, `?` wildcards), in the
 * order of `existing`. A wildcard never selects `public` (shared by every application, and where
 * a misconfigured tool leaves things) or PostgreSQL's own schemas: `public` is selected only when
 * a pattern names it exactly, and naming a system schema is refused (Retort never migrates one).
 *
 * @example
 * ```ts
 * selectSchemas(['information_schema', 'pg_catalog', 'public', 'tenant_a'], ['*']) // ['tenant_a']
 * selectSchemas(['public', 'tenant_a'], ['*', 'public'])                          // ['public', 'tenant_a']
 * ```
 */
export function selectSchemas(existing: readonly string[], patterns: readonly string[]): string[] {
  // Throws SYSTEM_SCHEMA, with what to do instead.
  for (const p of patterns) if (!isWildcard(p) && isSystemSchema(p)) validateIdentifier(p, 'schema');
  const exact = new Set(patterns.filter((p) => !isWildcard(p)));
  const globs = patterns.filter(isWildcard).map(globToRegExp);
  return existing.filter((name) => {
    if (isSystemSchema(name)) return false;
    if (exact.has(name)) return true;
    return name !== 'public' && globs.some((g) => g.test(name));
  });
}

/** The existing schemas of one database that `patterns` select (see {@link selectSchemas}). */
export async function listSchemas(options: { url: string; label: string | undefined; baseDir: string; patterns: readonly string[] }): Promise<string[]> {
  const conn = await openSession({ settings: connectionSettings(options.url, process.env), name: databaseName(options), baseDir: options.baseDir });
  try {
    const rows = await sql<{ nspname: string }>`select nspname from pg_namespace order by nspname`.execute(conn.db);
    return selectSchemas(
      rows.rows.map((r) => r.nspname),
      options.patterns,
    );
  } finally {
    await conn.close();
  }
}

/**
 * Clean-up for tests that create roles: roles are cluster-wide, so every test
 * uses random names and removes them, with whatever they own or were granted.
 */
import { randomBytes } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import { waitForSessionsToLeave, withAdmin, withDatabase } from '../../support/database';

/** A random role (or database) name with a recognisable prefix. */
export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/**
 * Drops `database` (if it exists) and `roles` (if they exist): first hands
 * their objects in that database to the connecting superuser and drops their
 * privileges there and in the maintenance database, as DROP ROLE requires.
 */
export async function dropDatabaseAndRoles(serverUrl: string, database: string, roles: readonly string[]): Promise<void> {
  const existing = await withAdmin(serverUrl, async (c) => {
    const found = await c.query<{ rolname: string }>('select rolname from pg_roles where rolname = any($1)', [roles]);
    const db = await c.query('select 1 from pg_database where datname = $1', [database]);
    return { roles: found.rows.map((r) => r.rolname), database: db.rowCount === 1 };
  });
  const list = existing.roles.map((r) => escapeIdentifier(r)).join(', ');
  if (existing.database && list) {
    await withAdmin(withDatabase(serverUrl, database), async (c) => {
      await c.query(`reassign owned by ${list} to current_user`);
      // One role at a time: a default ACL that names both roles makes a joint DROP OWNED fail
      // ("could not find tuple for default ACL").
      for (const role of existing.roles) await c.query(`drop owned by ${escapeIdentifier(role)}`);
    });
  }
  await withAdmin(serverUrl, async (c) => {
    if (existing.database) {
      await waitForSessionsToLeave(c, database);
      await c.query(`drop database if exists ${escapeIdentifier(database)} with (force)`);
    }
    if (list) {
      for (const role of existing.roles) await c.query(`drop owned by ${escapeIdentifier(role)}`);
      await c.query(`drop role if exists ${list}`);
    }
  });
}

/**
 * A throwaway privileged role, as production has one (`pcicdba`): NOLOGIN,
 * SUPERUSER, granted to the connecting user so that `SET ROLE` to it works.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface SuRole {
  readonly name: string;
  /** Drops the role; drop the databases holding its objects first. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the role on the server of `url`. */
export async function createSuRole(url: string): Promise<SuRole> {
  const name = `retort_su_${randomBytes(4).toString('hex')}`;
  await withClient(url, async (c) => {
    await c.query(`create role "${name}" nologin superuser`);
    await c.query(`grant "${name}" to current_user`);
  });
  return {
    name,
    drop: () => withClient(url, async (c) => void (await c.query(`drop role if exists "${name}"`))),
  };
}

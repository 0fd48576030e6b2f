import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../../support/database';
import { createSuRole, type SuRole } from './su-role';

/** A fresh database, a throwaway SU role, and a single-session Kysely on it, for one suite. */
export interface SuDatabase {
  readonly database: TestDatabase;
  readonly su: SuRole;
  readonly db: Kysely<any>;
}

/** Registers `before`/`after` hooks that create and drop a {@link SuDatabase}; read it inside tests. */
export function useSuDatabase(prefix: string): () => SuDatabase {
  let state: SuDatabase | undefined;
  let database: TestDatabase | undefined;
  let su: SuRole | undefined;
  let db: Kysely<any> | undefined;
  before(async () => {
    database = await createTestDatabase(prefix);
    su = await createSuRole(await testServerUrl());
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) });
    state = { database, su, db };
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
    await su?.drop();
  });
  return () => {
    if (!state) throw new Error('useSuDatabase: read it inside a test or hook');
    return state;
  };
}

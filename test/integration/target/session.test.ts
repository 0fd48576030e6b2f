import { expect } from 'chai';
import { sql } from 'kysely';
import { connectionSettings } from '../../../src/target/connection-settings';
import { openSession } from '../../../src/target/session';
import { SessionCache } from '../../../src/target/session-cache';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';

describe('target/session (integration)', function () {
  let db: TestDatabase;
  const options = () => ({ settings: connectionSettings(db.url, {}), name: 'database t', baseDir: '.' });

  beforeEach(async () => {
    db = await createTestDatabase('session');
  });
  afterEach(async () => {
    await db.drop();
  });

  it("never reconnects behind the caller: after pg_terminate_backend every statement fails with the server's reason", async () => {
    const session = await openSession(options());
    try {
      await sql`select set_config('application_name', 'retort-kept', false)`.execute(session.db);
      await query(db.url, 'select pg_terminate_backend($1)', [session.pid]);
      // The idle session hears of it as an 'error' event: handled, not a crash of the process.
      for (let i = 0; i < 200 && !session.lost; i++) await new Promise((r) => setTimeout(r, 10));
      expect(session.lost?.message).to.equal('terminating connection due to administrator command');
      for (let i = 0; i < 2; i++) {
        const error = await sql`select 1`.execute(session.db).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(error?.message).to.equal('terminating connection due to administrator command');
      }
      expect(await query(db.url, "select 1 from pg_stat_activity where datname = current_database() and application_name like 'retort%'")).to.deep.equal([]);
    } finally {
      await session.close();
      await session.close();
    }
  });

  it("the fleet's cache drops a session whose connection died while idle and opens a new one", async () => {
    const cache = new SessionCache();
    try {
      const first = await cache.acquire(options());
      cache.release(db.url, first);
      await query(db.url, 'select pg_terminate_backend($1)', [first.pid]);
      for (let i = 0; i < 200 && !first.lost; i++) await new Promise((r) => setTimeout(r, 10));
      const second = await cache.acquire(options());
      expect(second.pid).to.not.equal(first.pid);
      expect((await sql<{ n: number }>`select 1 as n`.execute(second.db)).rows).to.deep.equal([{ n: 1 }]);
      cache.release(db.url, second);
    } finally {
      await cache.closeAll();
    }
  });

  it('cancel() stops the statement running on the session, and leaves the session usable', async () => {
    const session = await openSession(options());
    try {
      const started = Date.now();
      const running = sql`select pg_sleep(20)`.execute(session.db).then(
        () => undefined,
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await session.cancel();
      expect((await running)?.message).to.equal('canceling statement due to user request');
      expect(Date.now() - started).to.be.below(5000);
      expect((await sql<{ n: number }>`select 2 as n`.execute(session.db)).rows).to.deep.equal([{ n: 2 }]);
      expect(session.lost).to.equal(undefined);
    } finally {
      await session.close();
    }
  });
});

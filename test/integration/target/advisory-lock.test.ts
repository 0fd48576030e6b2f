import { expect } from 'chai';
import { sql } from 'kysely';
import { connectionSettings } from '../../../src/target/connection-settings';
import { acquireAdvisoryLock, migrationLockKey, releaseAdvisoryLock } from '../../../src/target/advisory-lock';
import { openSession, type Session } from '../../../src/target/session';
import { createTestDatabase, query, withClient, type TestDatabase } from '../../support/database';

describe('target/advisory-lock (integration)', function () {
  let db: TestDatabase;
  let waiter: Session;
  const open = () => openSession({ settings: connectionSettings(db.url, {}), name: 'database t', baseDir: '.' });

  beforeEach(async () => {
    db = await createTestDatabase('lock');
    waiter = await open();
  });
  afterEach(async () => {
    await waiter.close();
    await db.drop();
  });

  it('keys the lock by 64 bits of md5(database.schema), so schemas with the same 32-bit hash are two locks', async () => {
    const holder = await open();
    try {
      const a = await acquireAdvisoryLock(holder.db, migrationLockKey('h23837'), { what: 'a', database: 't', timeoutMs: 100 });
      const b = await acquireAdvisoryLock(waiter.db, migrationLockKey('h378957'), { what: 'b', database: 't', timeoutMs: 100 });
      const expected = await query<{ k: string }>(db.url, "select ('x' || left(md5(current_database() || '.h23837'), 16))::bit(64)::bigint::text as k");
      expect(a.key).to.equal(expected[0]!.k);
      expect(b.key).to.not.equal(a.key);
      await releaseAdvisoryLock(waiter.db, b);
      await releaseAdvisoryLock(holder.db, a);
    } finally {
      await holder.close();
    }
  });

  it('waits without holding a snapshot: between attempts the waiter is idle, outside any transaction', async () => {
    const holder = await open();
    try {
      const lock = await acquireAdvisoryLock(holder.db, migrationLockKey('s'), { what: 'the migration lock on t:s', database: 't', timeoutMs: 1000 });
      let line = '';
      const waiting = acquireAdvisoryLock(waiter.db, migrationLockKey('s'), {
        what: 'the migration lock on t:s',
        database: 't',
        timeoutMs: 5000,
        onWait: (m) => (line = m),
      });
      await new Promise((r) => setTimeout(r, 400));
      const seen = await query<{ state: string; backend_xmin: string | null }>(db.url, 'select state, backend_xmin from pg_stat_activity where pid = $1', [
        waiter.pid,
      ]);
      expect(seen).to.deep.equal([{ state: 'idle', backend_xmin: null }]);
      expect(line).to.match(
        new RegExp(
          `^Waiting for the migration lock on t:s, held by backend pid ${holder.pid} \\(retort, connected at \\d\\d:\\d\\d:\\d\\d; idle\\), up to 5 s\\.\\.\\.$`,
        ),
      );
      await releaseAdvisoryLock(holder.db, lock);
      await releaseAdvisoryLock(waiter.db, await waiting);
    } finally {
      await holder.close();
    }
  });

  it('a wait the server cancels says so, after how long, instead of blaming the timeout', async () => {
    const holder = await open();
    try {
      await acquireAdvisoryLock(holder.db, migrationLockKey('s'), { what: 'x', database: 't', timeoutMs: 1000 });
      // Each attempt sleeps 0.3 s on the server, so the cancel below lands in one.
      const slowKey = sql<string>`(select ${migrationLockKey('s')} from pg_sleep(0.3))`;
      const started = Date.now();
      const waiting = acquireAdvisoryLock(waiter.db, slowKey, { what: 'the migration lock on t:s', database: 'database t', timeoutMs: 60_000 }).catch(
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 100));
      await withClient(db.url, (c) => c.query('select pg_cancel_backend($1)', [waiter.pid]));
      const error = (await waiting) as Error & { code: string; exitCode: number };
      expect(error.code).to.equal('LOCK_WAIT_CANCELLED');
      expect(error.exitCode).to.equal(1);
      expect(error.message).to.match(
        /^The wait for the migration lock on t:s was cancelled by the server \(canceling statement due to user request\) after 0(\.\d)? s; nothing was changed\. Run the command again\.$/,
      );
      expect(Date.now() - started).to.be.below(5000);
    } finally {
      await holder.close();
    }
  });
});

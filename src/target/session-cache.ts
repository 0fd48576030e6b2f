import { openSession, type OpenSessionOptions, type Session } from './session';

/**
 * Reuses sessions across the targets of one command: 200 schemas of one database need `--jobs`
 * connections, not 200. A session goes back to the cache only after the work on it released its
 * lock and ended its transaction; one that saw an error, or whose connection is gone, is closed.
 */
export class SessionCache {
  private readonly idle = new Map<string, Session[]>();
  private readonly all = new Set<Session>();

  /** An idle session on the same URL, or a new one. */
  async acquire(options: OpenSessionOptions): Promise<Session> {
    const list = this.idle.get(options.settings.url) ?? [];
    for (let reused = list.pop(); reused; reused = list.pop()) {
      if (!reused.lost) return reused;
      await this.discard(reused);
    }
    const session = await openSession(options);
    this.all.add(session);
    return session;
  }

  /** Gives a healthy session back; `url` is the one it was acquired with. */
  release(url: string, session: Session): void {
    const list = this.idle.get(url) ?? [];
    list.push(session);
    this.idle.set(url, list);
  }

  async discard(session: Session): Promise<void> {
    this.all.delete(session);
    for (const list of this.idle.values()) {
      const i = list.indexOf(session);
      if (i !== -1) list.splice(i, 1);
    }
    await session.close();
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.all];
    this.all.clear();
    this.idle.clear();
    await Promise.all(sessions.map((s) => s.close()));
  }
}

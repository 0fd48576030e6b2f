import { connect, type Connection, type ConnectOptions } from '../runtime/connection';

/**
 * Reuses sessions across the targets of one command: 200 schemas of one database need
 * `--jobs` connections, not 200. A session goes back to the cache only after the command on
 * it released its lock and ended its transaction; a session that saw an error is closed instead.
 */
export class ConnectionCache {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();

  async acquire(options: ConnectOptions): Promise<Connection> {
    const list = this.idle.get(options.url);
    const reused = list?.pop();
    if (reused) return reused;
    const conn = await connect(options);
    this.all.add(conn);
    return conn;
  }

  release(url: string, conn: Connection): void {
    const list = this.idle.get(url) ?? [];
    list.push(conn);
    this.idle.set(url, list);
  }

  async discard(conn: Connection): Promise<void> {
    this.all.delete(conn);
    for (const list of this.idle.values()) {
      const i = list.indexOf(conn);
      if (i !== -1) list.splice(i, 1);
    }
    await conn.close();
  }

  async closeAll(): Promise<void> {
    const conns = [...this.all];
    this.all.clear();
    this.idle.clear();
    await Promise.all(conns.map((c) => c.close()));
  }
}

import { isEmbeddedUrl, parseEmbeddedUrl } from '../embedded/url';

/** A server Retort can open sessions on. */
export interface Server {
  /** The `postgresql://` URL to connect to (for `embedded:`, the private server's). */
  readonly url: string;
  /** True for the private local server of an `embedded:` URL (its superuser is `postgres`). */
  readonly embedded: boolean;
  /** Gives the server back: the last process using an embedded server stops it. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * The server behind a URL: an `embedded:<folder>` URL starts the private local server, or joins
 * it when another command runs it; any other URL is used as it is.
 *
 * @example
 * ```ts
 * const server = await reachServer('embedded:./.retort/local', '/srv/app');
 * try { ... server.url ... } finally { await server.release(); }
 * ```
 */
export async function reachServer(url: string, baseDir: string): Promise<Server> {
  if (!isEmbeddedUrl(url)) return { url, embedded: false, release: async () => undefined };
  const embedded = require('../embedded/embedded-server') as typeof import('../embedded/embedded-server');
  const server = await embedded.startEmbeddedServer(parseEmbeddedUrl(url, baseDir));
  return { url: server.url, embedded: true, release: () => server.stop() };
}

import type { RenameHint } from '../diff/renames';
import { diffSchemas, type DiffSchemasResult } from './diff';

/**
 * `diff` between two endpoints that may be `embedded:` databases: starts those first (the engine
 * itself only takes postgresql:// URLs), then diffs.
 */
export async function diffSchemasAt(options: {
  from: { url: string; schema: string };
  to: { url: string; schema: string };
  baseDir: string;
  renames?: readonly (string | RenameHint)[];
}): Promise<DiffSchemasResult> {
  const stops: Array<() => Promise<void>> = [];
  const real = async (url: string) => {
    if (!url.startsWith('embedded:')) return url;
    const embedded = require('../embedded/embedded-server') as typeof import('../embedded/embedded-server');
    const server = await embedded.startEmbeddedServer({ dataDir: embedded.parseEmbeddedUrl(url, options.baseDir).dataDir });
    stops.push(() => server.stop());
    return server.url;
  };
  try {
    return await diffSchemas({
      from: { url: await real(options.from.url), schema: options.from.schema },
      to: { url: await real(options.to.url), schema: options.to.schema },
      ...(options.renames ? { renames: options.renames } : {}),
    });
  } finally {
    for (const stop of stops) await stop();
  }
}

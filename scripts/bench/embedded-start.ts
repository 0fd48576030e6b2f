/**
 * How long the embedded database takes to come up. Run: `npx tsx scripts/bench/embedded-start.ts [runs]`.
 * Cold = first start in an empty folder (initdb + start); warm = start of an existing cluster; stop = fast shutdown.
 * Prints the median of `runs` (default 5) for each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedServer } from '../../src/embedded/embedded-server';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-bench-'));
  fs.chmodSync(base, 0o755); // As root the server runs as another user, who must pass through.
  const cold: number[] = [];
  const warm: number[] = [];
  const stops: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const dataDir = path.join(base, `cold-${i}`);
      const [server, ms] = await timed(() => startEmbeddedServer({ dataDir }));
      cold.push(ms);
      await server.stop();
    }
    const dataDir = path.join(base, 'cold-0');
    for (let i = 0; i < runs; i++) {
      const [server, ms] = await timed(() => startEmbeddedServer({ dataDir }));
      warm.push(ms);
      stops.push((await timed(() => server.stop()))[1]);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const show = (label: string, values: number[]) =>
    console.log(`${label.padEnd(28)} median ${median(values).toFixed(0).padStart(5)} ms   (${values.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(`embedded PostgreSQL, ${runs} runs each, ${os.cpus().length} CPUs, ${os.platform()}-${os.arch()}`);
  show('cold start (initdb + start)', cold);
  show('warm start', warm);
  show('stop', stops);
  show(
    'warm start + stop',
    warm.map((w, i) => w + stops[i]!),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

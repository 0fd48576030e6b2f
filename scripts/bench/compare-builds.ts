/**
 * Is a change faster? Times `upgrade head` and `downgrade base` of the core bench's project
 * (scripts/bench/core-project.ts) with two builds of Retort, paired A B, then B A:
 *
 *   git worktree add /tmp/retort-before HEAD~1 && (cd /tmp/retort-before && npm ci)
 *   npm run build && npx tsx scripts/bench/compare-builds.ts /tmp/retort-before/bin/migrate.js [rounds]
 *
 * A is the other build, B this checkout's bin/migrate.js. Each build gets its own copy of the
 * project (their revision caches may differ in format) and is warmed up once; each timed run
 * gets a fresh database after `sync` and CHECKPOINT; databases are dropped after all timing.
 * Prints medians and B/A ratios (ratio of medians, median of per-pair ratios).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { admin, BIN, dbUrl, median, run, settle, time, writeProject } from './core-project';

const other = process.argv[2];
const ROUNDS = Number(process.argv[3] ?? 6);
if (!other || !fs.existsSync(other)) {
  console.error('usage: npx tsx scripts/bench/compare-builds.ts <other checkout>/bin/migrate.js [rounds]');
  process.exit(2);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-compare-'));
  const sides = [
    { label: 'A', bin: path.resolve(other!), dir: path.join(root, 'a'), up: [] as number[], down: [] as number[] },
    { label: 'B', bin: BIN, dir: path.join(root, 'b'), up: [] as number[], down: [] as number[] },
  ];
  const created: string[] = [];
  const fresh = async () => {
    const name = `retort_compare_${process.pid}_${created.length}`;
    await admin(`create database ${name}`);
    created.push(name);
    return dbUrl(name);
  };
  const migrate = (side: (typeof sides)[number], url: string, ...args: string[]) =>
    run(process.execPath, [side.bin, '--url', url, '-x', 'schema=bench', ...args], side.dir);
  try {
    for (const side of sides) {
      writeProject(side.dir);
      const warm = await fresh();
      migrate(side, warm, 'upgrade', '--create-schema', 'head');
      migrate(side, warm, 'downgrade', 'base');
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        const url = await fresh();
        await settle();
        side.up.push(time(() => migrate(side, url, 'upgrade', '--create-schema', 'head')));
        await settle();
        side.down.push(time(() => migrate(side, url, 'downgrade', 'base')));
      }
    }
  } finally {
    for (const name of created) await admin(`drop database if exists ${name}`);
    fs.rmSync(root, { recursive: true, force: true });
  }
  const [a, b] = sides as [(typeof sides)[number], (typeof sides)[number]];
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`A: ${a.bin}\nB: ${b.bin}\nrounds: ${ROUNDS} (A B, then B A; fresh database each, after sync + CHECKPOINT)`);
  for (const key of ['up', 'down'] as const) {
    const pairs = b[key].map((x, i) => x / a[key][i]!);
    console.log(
      `${key === 'up' ? 'upgrade head  ' : 'downgrade base'}: A ${s(median(a[key]))}  B ${s(median(b[key]))}  B/A ${(median(b[key]) / median(a[key])).toFixed(3)}, median of pair ratios ${median(pairs).toFixed(3)} [${pairs.map((x) => x.toFixed(2)).join(' ')}]`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

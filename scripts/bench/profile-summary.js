#!/usr/bin/env node
'use strict';
/**
 * Where a process's CPU went, from a V8 CPU profile, by package and by function:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/migrate.js --url postgresql://... downgrade base
 *   node scripts/bench/profile-summary.js /tmp/prof/*.cpuprofile [top]
 *
 * Self time only ("(idle)" is time spent waiting, mostly on the server). Code from the CLI bundle
 * and from a compiled revision bundle is attributed to the module it came from, found through the
 * `// path` comments esbuild writes before each module; revision code shows as `revisions`.
 */
const fs = require('node:fs');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/bench/profile-summary.js <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

/** For a bundle: the lines where each module starts, in order. */
const markers = new Map();
function moduleAt(url, line) {
  const path = url.replace(/^file:\/\//, '');
  if (!/\.bundle\.js$|[\\/]\.retort[\\/]/.test(path)) return shorten(path);
  if (path.includes('.retort')) return 'revisions';
  if (!markers.has(path)) {
    const starts = [];
    const lines = fs.existsSync(path) ? fs.readFileSync(path, 'utf8').split('\n') : [];
    lines.forEach((text, i) => {
      const m = /^\/\/ (\S+\.(?:js|cjs|mjs|json))$/.exec(text);
      if (m) starts.push([i, m[1]]);
    });
    markers.set(path, starts);
  }
  let found = '(bundle)';
  for (const [start, name] of markers.get(path)) {
    if (start > line) break;
    found = name;
  }
  return shorten(found);
}
function shorten(p) {
  if (/node_modules[\\/]/.test(p)) return p.replace(/.*node_modules[\\/]/, '');
  return p.replace(/^(?:.*[\\/])?(dist|src)[\\/]/, '$1/');
}
/** `kysely/dist/cjs/...` -> `kysely`; `dist/runtime/x.js` -> `retort: runtime`; `node:fs` -> `node`. */
function packageOf(mod) {
  if (mod.startsWith('node:')) return 'node (internal)';
  if (mod.startsWith('dist/')) return `retort: ${mod.split('/')[1]}`;
  if (mod.startsWith('@')) return mod.split('/').slice(0, 2).join('/');
  return mod.includes('/') ? mod.split('/')[0] : mod;
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
});
const byPackage = new Map();
const byFunction = new Map();
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
for (const [id, us] of selfUs) {
  const frame = nodes.get(id).callFrame;
  const mod = frame.url ? moduleAt(frame.url, frame.lineNumber) : frame.functionName || '(native)';
  add(byPackage, frame.url ? packageOf(mod) : mod, us);
  add(byFunction, `${frame.functionName || '(anonymous)'}  ${mod}`, us);
}
const ms = (us) => `${(us / 1000).toFixed(1).padStart(8)} ms`;
const list = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${ms(us)}  ${k}`)
    .join('\n');
console.log(`${ms(totalUs)}  total (${ms(totalUs - (byPackage.get('(idle)') ?? 0)).trim()} not idle)`);
console.log('\nby package\n' + list(byPackage));
console.log('\nby function\n' + list(byFunction));

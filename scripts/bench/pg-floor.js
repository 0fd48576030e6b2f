#!/usr/bin/env node
'use strict';
/**
 * The DDL floor for a Node client: `node scripts/bench/pg-floor.js <url> <file.sql>` sends the
 * file's statements (one per line) one at a time with a bare pg client inside one transaction,
 * as `psql -1 -f` does. core-bench.ts times it beside psql and migrate, to tell Node's own cost
 * (process start, pg's JS) from Retort's.
 */
const fs = require('node:fs');
const { Client } = require('pg');

async function main() {
  const [url, file] = process.argv.slice(2);
  const statements = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const s of statements) await client.query(s);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});

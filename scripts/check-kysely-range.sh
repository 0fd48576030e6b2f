#!/usr/bin/env bash
# kysely is a peer dependency: the app brings its own. For the lowest and the highest kysely the
# range in package.json allows, this installs it beside the packed tarball in a fresh app and
#
#   - type-checks (tsc --noEmit, the tsconfig `migrate init` writes) a model and a revision that
#     use `sql` and kysely's types from retort-migrate alone, and Retort's own declarations
#     against that kysely (no errors in node_modules/retort-migrate even without skipLibCheck);
#   - applies the revision with the CLI (upgrade head) and checks the table it made.
#
#   scripts/check-kysely-range.sh                # packs this checkout; kysely 0.27.0 and 0.29
#   TARBALL=/tmp/retort-migrate-0.1.0.tgz KYSELY_VERSIONS="0.28" scripts/check-kysely-range.sh
#
# Needs the npm registry and the test server (TEST_DATABASE_URL); about a minute.
set -euo pipefail
source "$(dirname "$0")/packed-app.sh"
# The bounds of peerDependencies.kysely: its first release, and the newest of its last minor.
KYSELY_VERSIONS="${KYSELY_VERSIONS:-0.27.0 0.29}"
TYPESCRIPT="$(node -p "require('$ROOT/package.json').devDependencies.typescript")"
NODE_TYPES="$(node -p "require('$ROOT/package.json').devDependencies['@types/node']")"

tarball="$(packed_tarball)"
for version in $KYSELY_VERSIONS; do
  say "kysely@$version"
  app="$WORK/app-$version"
  new_app "$app" "$tarball" "kysely@$version" "typescript@$TYPESCRIPT" "@types/node@$NODE_TYPES"
  cd "$app"
  echo "  installed kysely $(node -p "require('./node_modules/kysely/package.json').version")"
  npx migrate init --schema app >/dev/null
  cat > model/index.ts <<'EOF'
import { defineModel, serial, sql, table, text, timestamptz, type DatabaseOf, type RawBuilder } from 'retort-migrate';

const created: RawBuilder<Date> = sql<Date>`now()`;
const station = table('station', {
  station_id: serial().primaryKey(),
  name: text().notNull().defaultTo(sql`'unnamed'`),
  created_at: timestamptz().notNull().defaultTo(created),
});
export const model = defineModel({ tables: [station] });
export type Db = DatabaseOf<typeof model>;
EOF
  cat > revisions/aaaa00000001_station.ts <<'EOF'
import { sql, type Kysely, type MigrationContext } from 'retort-migrate';

export const revision = 'aaaa00000001';
export const downRevision = null;
export const message = 'station';

async function count(db: Kysely<any>, schema: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'station')}`.execute(db);
  return r.rows[0]!.n;
}

export async function upgrade(ctx: MigrationContext): Promise<void> {
  await ctx.db.schema
    .withSchema(ctx.schema)
    .createTable('station')
    .addColumn('station_id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(sql`'unnamed'`))
    .execute();
  await sql`insert into ${sql.id(ctx.schema, 'station')} default values`.execute(ctx.db);
  if ((await count(ctx.db, ctx.schema)) !== 1) throw new Error('expected one station');
}

export async function downgrade(ctx: MigrationContext): Promise<void> {
  await ctx.db.schema.withSchema(ctx.schema).dropTable('station').execute();
}
EOF
  expect_code 0 npx tsc --noEmit -p .
  # Retort's declarations against this kysely: skipLibCheck would hide a type they name that it lacks.
  strict="$(npx tsc --noEmit -p . --skipLibCheck false 2>&1 || true)"
  if grep -q 'node_modules/retort-migrate/' <<<"$strict"; then
    grep 'node_modules/retort-migrate/' <<<"$strict" | head -n 10
    fail "Retort's declarations do not compile against kysely $version"
  fi
  new_database "kysely_range_${version//./_}" url
  expect_code 0 npx migrate --url "$url" upgrade head --create-schema
  [ "$(psql -X -At "$url" -c 'select name from app.station')" = unnamed ] || fail "the revision's row is not in app.station"
  cd "$ROOT"
done

say "check-kysely-range: $KYSELY_VERSIONS pass"

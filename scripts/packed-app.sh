# Sourced by the scripts that try the packed package in an app of its own (try-as-user.sh,
# check-kysely-range.sh): the tarball, fresh apps, test databases, and cleaning up after them.
# Needs the npm registry, psql, and a PostgreSQL server at TEST_DATABASE_URL on which it may
# create databases.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/retort-packed-XXXXXX")"
CREATED_DBS=()

cleanup() {
  local db
  for db in "${CREATED_DBS[@]}"; do psql -X -q "$SERVER_URL" -c "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# The tarball: $TARBALL if set (e.g. packed once for several scripts), else `npm pack` of this
# checkout (its prepare script builds it first).
packed_tarball() {
  if [ -n "${TARBALL:-}" ]; then
    printf '%s\n' "$TARBALL"
    return
  fi
  local name
  name="$(cd "$ROOT" && npm pack --silent --pack-destination "$WORK" 2>/dev/null | tail -n 1)"
  printf '%s\n' "$WORK/$name"
}

# new_app DIR PACKAGE...: a fresh npm app in DIR with the packages installed.
new_app() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --loglevel=error "$@" >/dev/null) || fail "npm install $* in $dir"
}

# new_database NAME VAR: creates it on the test server and sets VAR to its URL; dropped at exit.
new_database() {
  local name="$1_$$"
  psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL" -c "create database \"$name\"" >/dev/null || fail "create database $name"
  CREATED_DBS+=("$name")
  printf -v "$2" '%s' "$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$SERVER_URL" "$name")"
}

# expect_code CODE COMMAND...: runs it, shows its output, and fails unless it exits with CODE.
expect_code() {
  local want="$1"
  shift
  local out code=0
  out="$("$@" 2>&1)" || code=$?
  printf '$ %s\n%s\n' "$*" "$out" | sed 's/^/  /'
  [ "$code" = "$want" ] || fail "$* exited $code, expected $want"
  LAST_OUTPUT="$out"
}

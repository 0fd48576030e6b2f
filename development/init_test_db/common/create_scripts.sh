#!/usr/bin/env bash
# Writes the SQL scripts that set up a database for Retort, numbered in the order
# run_scripts.sh runs them:
#   00-create-database.sql  the database (on the maintenance database)
#   01-roles.sql            login user, NOLOGIN superuser role, membership
#   02-extensions.sql       required extensions, and optional ones if the server has them
#   03-schemas.sql          each schema, owned by the user
#   04-grants.sql           grants and default privileges
# Every script can be run again without harm. The library twin is
# src/runtime/db-init.ts (initDatabase).
set -euo pipefail
# Lists are split on newlines only, and never globbed: a name like '*' must reach the check as it is.
set -f
IFS='
'

prog=create_scripts.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<EOF
Usage: $prog [options]
  -d, --database NAME         database to create            (\$RETORT_INIT_DATABASE, default retort_test)
  -s, --schemas A,B           schemas, owned by the user    (\$RETORT_INIT_SCHEMAS, default crmp)
  -u, --user NAME             login user                    (\$RETORT_INIT_USER, default tester)
  -r, --su-role NAME          NOLOGIN superuser role        (\$RETORT_INIT_SU_ROLE, default crmpdba)
  -e, --extensions A,B        required extensions           (\$RETORT_INIT_EXTENSIONS, default plpgsql,moddatetime,pgcrypto)
  -o, --optional-extensions L created only if available     (\$RETORT_INIT_OPTIONAL_EXTENSIONS, default postgis,plpython3u)
      --out DIR               where to write the scripts    (\$RETORT_INIT_OUT, default this script's folder)
  -h, --help
Names must match ^[A-Za-z_][A-Za-z0-9_]*\$ (extensions may also contain '-').
EOF
}

database=${RETORT_INIT_DATABASE:-retort_test}
schemas=${RETORT_INIT_SCHEMAS:-crmp}
user=${RETORT_INIT_USER:-tester}
su_role=${RETORT_INIT_SU_ROLE:-crmpdba}
extensions=${RETORT_INIT_EXTENSIONS-plpgsql,moddatetime,pgcrypto}
optional=${RETORT_INIT_OPTIONAL_EXTENSIONS-postgis,plpython3u}
out=${RETORT_INIT_OUT:-$here}

die() { echo "$prog: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  opt=$1
  case $opt in
    --*=*) val=${opt#*=}; opt=${opt%%=*}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) [ $# -ge 2 ] || die "$opt needs a value"; val=$2; shift 2 ;;
    *) die "unexpected argument '$opt' (see --help)" ;;
  esac
  case $opt in
    -d|--database) database=$val ;;
    -s|--schemas) schemas=$val ;;
    -u|--user) user=$val ;;
    -r|--su-role) su_role=$val ;;
    -e|--extensions) extensions=$val ;;
    -o|--optional-extensions) optional=$val ;;
    --out) out=$val ;;
    *) die "unknown option $opt (see --help)" ;;
  esac
done

ident_re='^[A-Za-z_][A-Za-z0-9_]*$'
ext_re='^[A-Za-z_][A-Za-z0-9_-]*$'
problems=''

# check WHAT VALUE REGEX: names go into SQL text, so only plain identifiers pass.
check() {
  if ! [[ $2 =~ $3 ]] || [ ${#2} -gt 63 ]; then
    problems="$problems
  $1 '$2' is not a plain identifier ($3, at most 63 characters)"
  fi
}

# split LIST: comma-separated, blanks ignored; result in $items (newline-separated).
split() {
  items=$(printf '%s\n' "$1" | tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d')
}

check database "$database" "$ident_re"
check user "$user" "$ident_re"
check 'superuser role' "$su_role" "$ident_re"
[ "$user" != "$su_role" ] || problems="$problems
  the user and the superuser role are both '$user'"
split "$schemas"; schema_list=$items
[ -n "$schema_list" ] || problems="$problems
  no schema given"
for s in $schema_list; do check schema "$s" "$ident_re"; done
split "$extensions"; ext_list=$items
for e in $ext_list; do check extension "$e" "$ext_re"; done
split "$optional"; opt_list=$items
for e in $opt_list; do check 'optional extension' "$e" "$ext_re"; done
[ -z "$problems" ] || die "refusing to write SQL:$problems"

mkdir -p "$out"
stamp="-- Written by $prog for database \"$database\". Safe to run again."

cat > "$out/00-create-database.sql" <<EOF
$stamp
-- Run on the maintenance database; CREATE DATABASE cannot run inside DO, so psql's \\gexec runs it only when missing.
SELECT format('CREATE DATABASE %I', '$database')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\\gexec
EOF

cat > "$out/01-roles.sql" <<EOF
$stamp
-- Existing roles keep their attributes: they may serve other databases too.
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$su_role') THEN
    CREATE ROLE "$su_role" NOLOGIN SUPERUSER;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE "$user" LOGIN;
  END IF;
  IF NOT EXISTS (
    SELECT FROM pg_auth_members m
    JOIN pg_roles granted ON granted.oid = m.roleid
    JOIN pg_roles holder ON holder.oid = m.member
    WHERE granted.rolname = '$su_role' AND holder.rolname = '$user'
  ) THEN
    GRANT "$su_role" TO "$user";
  END IF;
END
\$\$;
EOF

{
  echo "$stamp"
  echo "\\connect \"$database\""
  for e in $ext_list; do
    echo "CREATE EXTENSION IF NOT EXISTS \"$e\";"
  done
  for e in $opt_list; do
    cat <<EOF
-- Optional: created when the server offers it; a failure (say, a missing libpython) is only a warning.
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_available_extensions WHERE name = '$e') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS "$e";
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'optional extension % skipped: %', '$e', SQLERRM;
    END;
  ELSE
    RAISE NOTICE 'optional extension % is not available on this server; skipped', '$e';
  END IF;
END
\$\$;
EOF
  done
} > "$out/02-extensions.sql"

{
  echo "$stamp"
  echo "\\connect \"$database\""
  for s in $schema_list; do
    echo "CREATE SCHEMA IF NOT EXISTS \"$s\" AUTHORIZATION \"$user\";"
    echo "ALTER SCHEMA \"$s\" OWNER TO \"$user\";"
  done
} > "$out/03-schemas.sql"

{
  echo "$stamp"
  echo "\\connect \"$database\""
  echo "GRANT CONNECT, TEMPORARY ON DATABASE \"$database\" TO \"$user\";"
  for s in $schema_list; do
    cat <<EOF
GRANT USAGE, CREATE ON SCHEMA "$s" TO "$user";
GRANT ALL ON ALL TABLES IN SCHEMA "$s" TO "$user";
GRANT ALL ON ALL SEQUENCES IN SCHEMA "$s" TO "$user";
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA "$s" TO "$user";
-- What the superuser role creates here during privileged revisions stays usable by the user.
ALTER DEFAULT PRIVILEGES FOR ROLE "$su_role" IN SCHEMA "$s" GRANT ALL ON TABLES TO "$user";
ALTER DEFAULT PRIVILEGES FOR ROLE "$su_role" IN SCHEMA "$s" GRANT ALL ON SEQUENCES TO "$user";
ALTER DEFAULT PRIVILEGES FOR ROLE "$su_role" IN SCHEMA "$s" GRANT EXECUTE ON ROUTINES TO "$user";
ALTER DEFAULT PRIVILEGES FOR ROLE "$su_role" IN SCHEMA "$s" GRANT USAGE ON TYPES TO "$user";
EOF
  done
} > "$out/04-grants.sql"

echo "$prog: wrote 00-create-database.sql .. 04-grants.sql to $out"

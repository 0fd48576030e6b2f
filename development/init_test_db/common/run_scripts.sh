#!/usr/bin/env bash
# Runs the scripts create_scripts.sh wrote, in order, with psql, stopping at the
# first error and naming the script that failed. Connect as a superuser to the
# maintenance database; the scripts \connect to the new database themselves.
set -euo pipefail

prog=run_scripts.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<EOF
Usage: $prog [--url URL | [-H HOST] [-p PORT] [-U USER] [--dbname DB]] [--dir DIR]
      --url URL       postgresql://user@host:port/maintenance_db   (\$RETORT_INIT_URL)
  -H, --host HOST     server host, when no URL                     (psql default / \$PGHOST)
  -p, --port PORT     server port                                  (psql default / \$PGPORT)
  -U, --user USER     superuser to connect as                      (psql default / \$PGUSER)
      --dbname DB     maintenance database                         (default postgres)
      --dir DIR       folder holding the scripts                   (\$RETORT_INIT_OUT, default this script's folder)
  -h, --help
EOF
}

die() { echo "$prog: $*" >&2; exit 2; }

url=${RETORT_INIT_URL:-}
host='' port='' login='' dbname=postgres
dir=${RETORT_INIT_OUT:-$here}

while [ $# -gt 0 ]; do
  opt=$1
  case $opt in
    --*=*) val=${opt#*=}; opt=${opt%%=*}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) [ $# -ge 2 ] || die "$opt needs a value"; val=$2; shift 2 ;;
    *) die "unexpected argument '$opt' (see --help)" ;;
  esac
  case $opt in
    --url) url=$val ;;
    -H|--host) host=$val ;;
    -p|--port) port=$val ;;
    -U|--user) login=$val ;;
    --dbname) dbname=$val ;;
    --dir) dir=$val ;;
    *) die "unknown option $opt (see --help)" ;;
  esac
done

command -v psql >/dev/null 2>&1 || die "psql is not installed (apt-get install postgresql-client)"

conn=()
if [ -n "$url" ]; then
  conn=("--dbname=$url")
else
  [ -z "$host" ] || conn+=("--host=$host")
  [ -z "$port" ] || conn+=("--port=$port")
  [ -z "$login" ] || conn+=("--username=$login")
  conn+=("--dbname=$dbname")
fi

found=0
for script in "$dir"/[0-9][0-9]-*.sql; do
  [ -e "$script" ] || break
  found=1
  step=$(basename "$script")
  echo "$prog: $step"
  if ! psql -X -q -v ON_ERROR_STOP=1 "${conn[@]}" -f "$script"; then
    echo "$prog: step $step failed; the steps before it are done and need not be undone (every script can run again)" >&2
    exit 1
  fi
done
[ "$found" = 1 ] || die "no NN-*.sql scripts in $dir; run create_scripts.sh first"
echo "$prog: done"

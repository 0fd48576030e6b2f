#!/usr/bin/env bash
# What installing Retort costs a user: installs a packed tarball into a fresh app in a temporary
# folder and prints the size of node_modules, the number of packages in it, and the size of the
# tarball's own folder.
#
#   npm pack --pack-destination /tmp && scripts/bench/install-footprint.sh /tmp/retort-migrate-*.tgz kysely@0.27
#
# Arguments after the tarball are installed beside it (a peer dependency such as kysely). Needs
# the npm registry. The app is removed afterwards (KEEP=1 keeps it and prints where).
set -euo pipefail
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
app="$(mktemp -d "${TMPDIR:-/tmp}/retort-footprint-XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$app"' EXIT
cd "$app"
npm init -y >/dev/null 2>&1
added="$(npm install --no-audit --no-fund "$tarball" "$@" 2>/dev/null | grep -o 'added [0-9]* packages' || true)"
name="$(node -p "Object.keys(require('./package.json').dependencies).find((d) => d.startsWith('retort'))")"
echo "tarball:      $(du -h "$tarball" | cut -f1) $(basename "$tarball")"
echo "node_modules: $(du -sh node_modules | cut -f1), $(npm ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l) packages (npm: $added)"
echo "$name:        $(du -sh "node_modules/$name" | cut -f1)"
echo "largest:"
for d in node_modules/[!@.]* node_modules/@*/*; do du -s "$d"; done | sort -rn | head -8 | awk '{ printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
[ "${KEEP:-0}" = 1 ] && echo "app kept in $app"
exit 0

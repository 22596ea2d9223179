#!/usr/bin/env bash
# Scans the module and its dependencies for known vulnerabilities with
# govulncheck, offline: the vulnerability database is built locally from a
# pinned version of the golang.org/x/vulndb module (its data/osv reports),
# so the result depends on that version only, not on the day it runs.
#
#   scripts/vulncheck.sh        (make vulncheck)
#
# Environment: VULNDB_VERSION (the golang.org/x/vulndb version),
# GOVULNCHECK_VERSION (golang.org/x/vuln), VULNDB_DIR (where the built
# database is kept; reused by later runs, which then need no network if the
# modules are in the module cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3
export GOWORK=off

vulndb_version="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
# Pinned, not @latest: @latest asks the module proxy on every run.
govulncheck_version="${GOVULNCHECK_VERSION:-v1.9.0}"
db="${VULNDB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cogtool-dev/vulndb-$vulndb_version}"

# The go commands below that name a version run outside this module, so
# that nothing they fetch enters go.mod.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

start=$SECONDS
if [[ ! -f "$db/index/db.json" ]]; then
	echo "== building the vulnerability database from golang.org/x/vulndb@$vulndb_version"
	src="$(cd "$scratch" && go mod download -json "golang.org/x/vulndb@$vulndb_version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	if [[ -z "$src" || ! -d "$src/data/osv" ]]; then
		echo "vulncheck: golang.org/x/vulndb@$vulndb_version has no data/osv" >&2
		exit 1
	fi
	rm -rf "$db.tmp"
	mkdir -p "$(dirname "$db")"
	(cd "$scratch" && go run "golang.org/x/vulndb/cmd/indexdb@$vulndb_version" -vulns "$src/data/osv" -out "$db.tmp")
	rm -rf "$db"
	mv "$db.tmp" "$db"
	echo "== database built in $((SECONDS - start))s: $db"
fi

scan=$SECONDS
echo "== govulncheck@$govulncheck_version -db file://$db ./..."
go run "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version" -db "file://$db" ./...
echo "== scan took $((SECONDS - scan))s (total $((SECONDS - start))s)"

#!/usr/bin/env bash
# Runs every Go fuzz target of the module for a while each.
#
#   scripts/fuzz.sh [DURATION]     DURATION per target, default 15s (CI);
#                                  `make fuzz` runs them for FUZZTIME (60s).
#
# A crash stops the run with the failing input written under the package's
# testdata/fuzz/<target>/: commit it as a seed once the bug is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3

fuzztime="${1:-15s}"
case "$fuzztime" in
[0-9]*s | [0-9]*m | [0-9]*h | [0-9]*x) ;;
*)
	echo "usage: scripts/fuzz.sh [DURATION]  (e.g. 15s, 2m, or 1000x)" >&2
	exit 2
	;;
esac

# Every fuzz target: package and name. Keep in step with the sources; the
# check below fails when a Fuzz function is missing from this list.
targets=(
	"./internal/decode FuzzParse"
	"./internal/verify FuzzVerify"
	"./internal/users FuzzParseAttribute"
	"./internal/config FuzzParse"
	"./internal/cli FuzzDecodeInputForms"
	"./internal/cli FuzzCallHeader"
)

missing=0
while IFS=: read -r file fn; do
	pkg="./$(dirname "$file")"
	found=0
	for t in "${targets[@]}"; do
		[[ "$t" == "$pkg $fn" ]] && found=1
	done
	if [[ $found == 0 ]]; then
		echo "scripts/fuzz.sh: $fn in $pkg is not in the target list" >&2
		missing=1
	fi
done < <(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' --exclude-dir=node_modules --exclude-dir=.git . |
	sed -e 's|^\./||' -e 's|:func |:|')
[[ $missing == 0 ]] || exit 1

start=$SECONDS
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "== $name ($pkg, $fuzztime)"
	t0=$SECONDS
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 1s "$pkg"
	echo "== $name: $((SECONDS - t0))s"
done
echo "== all ${#targets[@]} fuzz targets passed in $((SECONDS - start))s"

#!/usr/bin/env bash
# release-check: checks the .deb that goreleaser built, as a user would get it.
#
#   scripts/release-check.sh [PATH.deb]
#
# Default package: the one dist/cogtool_*_amd64.deb. The expected version is
# read from dist/metadata.json (written by goreleaser) unless EXPECT_VERSION
# is set. The binary's size is printed and compared with the 12 MB target
# (a warning); MAX_BYTES (default 20 MB) is the hard limit.
#
# Checks: the package's control fields; the packaged binary's `version` and
# `--version` print the stamped version (and a stamped commit and date); the
# man pages and the bash, zsh and fish completions are where the shells and
# man look for them; the binary is static (no ELF interpreter, no dynamic
# section, CGO_ENABLED=0), stripped and built with -trimpath. Prints the
# binary's size.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "release-check: FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

deb=${1:-}
if [[ -z $deb ]]; then
	shopt -s nullglob
	debs=(dist/cogtool_*_amd64.deb)
	shopt -u nullglob
	((${#debs[@]} == 1)) || fail "want exactly one dist/cogtool_*_amd64.deb, found ${#debs[@]} (run 'make release-ci' first)"
	deb=${debs[0]}
fi
[[ -f $deb ]] || fail "no such package: $deb"
command -v dpkg-deb >/dev/null || fail "dpkg-deb is not installed"
command -v readelf >/dev/null || fail "readelf (binutils) is not installed"

want=${EXPECT_VERSION:-}
if [[ -z $want ]]; then
	[[ -f dist/metadata.json ]] || fail "no dist/metadata.json to read the version from; set EXPECT_VERSION"
	want=$(sed -n 's/.*"version":[[:space:]]*"\([^"]*\)".*/\1/p' dist/metadata.json | head -n1)
	[[ -n $want ]] || fail "no version in dist/metadata.json"
fi
echo "checking $deb (want version $want)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Control fields. Debian spells a pre-release 1.2.3~rc1 (sorts before 1.2.3).
debwant=${want/-/\~}
[[ $(dpkg-deb -f "$deb" Package) == cogtool ]] || fail "Package is not cogtool"
[[ $(dpkg-deb -f "$deb" Version) == "$debwant" ]] || fail "Version is $(dpkg-deb -f "$deb" Version), want $debwant"
[[ $(dpkg-deb -f "$deb" Architecture) == amd64 ]] || fail "Architecture is not amd64"
ok "control: Package cogtool, Version $debwant, Architecture amd64"

root=$tmp/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/cogtool
[[ -f $bin && -x $bin ]] || fail "/usr/bin/cogtool is missing or not executable"
ok "/usr/bin/cogtool"

# Run the packaged binary away from any config of this machine.
run() {
	env -i PATH=/usr/bin:/bin HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" \
		XDG_CACHE_HOME="$tmp/cache" "$bin" "$@"
}
out=$(run version) || fail "'cogtool version' exited $?"
grep -qxF "cogtool version $want" <<<"$out" || fail "'cogtool version' does not print the stamped version $want:"$'\n'"$out"
commit=$(sed -n 's/^commit:[[:space:]]*//p' <<<"$out")
[[ $commit =~ ^[0-9a-f]{40}$ ]] || fail "'cogtool version' shows no stamped commit: $commit"
built=$(sed -n 's/^built:[[:space:]]*//p' <<<"$out")
[[ $built =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]] || fail "'cogtool version' shows no stamped date: $built"
ok "cogtool version: $want, commit $commit, built $built"
out=$(run --version) || fail "'cogtool --version' exited $?"
[[ $out == "cogtool version $want" ]] || fail "'cogtool --version' printed: $out"
ok "cogtool --version: $out"

# Man pages: one per command, gzipped, stamped with the version.
man1=$root/usr/share/man/man1
[[ -f $man1/cogtool.1.gz ]] || fail "no /usr/share/man/man1/cogtool.1.gz"
pages=0
for p in "$man1"/*; do
	[[ $p == *.1.gz ]] || fail "unexpected file in man1: ${p##*/}"
	gzip -t "$p" || fail "${p##*/} is not valid gzip"
	gzip -dc "$p" | grep -q "^\.TH \".*\" \"1\" \".*\" \"cogtool $want\"" ||
		fail "${p##*/} has no .TH line for section 1 and source 'cogtool $want'"
	pages=$((pages + 1))
done
for cmd in version decode verify token; do
	[[ -f $man1/cogtool-$cmd.1.gz ]] || fail "no man page for 'cogtool $cmd'"
done
ok "$pages man pages in /usr/share/man/man1"

# Completions, where bash-completion, zsh and fish look for them.
check_comp() {
	local f=$root$1 marker=$2
	[[ -s $f ]] || fail "no completion file $1"
	grep -qF -- "$marker" "$f" || fail "$1 lacks '$marker'"
	ok "$1"
}
check_comp /usr/share/bash-completion/completions/cogtool "__start_cogtool"
check_comp /usr/share/zsh/vendor-completions/_cogtool "#compdef cogtool"
check_comp /usr/share/fish/vendor_completions.d/cogtool.fish "complete -c cogtool"
[[ -f $root/usr/share/doc/cogtool/copyright ]] || fail "no /usr/share/doc/cogtool/copyright"
ok "/usr/share/doc/cogtool/copyright"

# Static, stripped, trimmed.
if readelf -lW "$bin" | grep -q 'INTERP'; then
	fail "the binary asks for a dynamic loader (has an INTERP header)"
fi
if readelf -dW "$bin" | grep -q 'NEEDED'; then
	fail "the binary needs shared libraries"
fi
if readelf -SW "$bin" | grep -qE '\.symtab|\.debug_'; then
	fail "the binary is not stripped (has .symtab or .debug_* sections)"
fi
if command -v file >/dev/null; then
	desc=$(file -b "$bin")
	[[ $desc == *"statically linked"* ]] || fail "file(1) does not call it static: $desc"
fi
ok "static and stripped (no INTERP, no NEEDED, no .symtab)"
if command -v go >/dev/null; then
	meta=$(go version -m "$bin") || fail "go version -m failed"
	grep -qE '^[[:space:]]+build[[:space:]]+CGO_ENABLED=0$' <<<"$meta" || fail "built without CGO_ENABLED=0:"$'\n'"$meta"
	grep -qE '^[[:space:]]+build[[:space:]]+-trimpath=true$' <<<"$meta" || fail "built without -trimpath"
	# (-trimpath keeps -ldflags out of the build info; `version` above shows the stamp.)
	ok "go version -m: CGO_ENABLED=0, -trimpath, $(head -n1 <<<"$meta" | awk '{print $2}')"
fi

# Size.
target=12000000
max=${MAX_BYTES:-20000000}
bytes=$(stat -c %s "$bin")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1000000 }')
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }')
echo "binary size: $bytes bytes ($mb MB, $mib MiB); .deb: $(stat -c %s "$deb") bytes"
((bytes <= max)) || fail "binary is $bytes bytes, over the $max-byte limit (MAX_BYTES)"
if ((bytes > target)); then
	echo "warn binary is over the 12 MB size target ($bytes > $target bytes)"
else
	ok "size within the 12 MB target"
fi
echo "release-check: all checks passed"

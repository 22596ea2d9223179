#!/usr/bin/env bash
# bench.sh: cogtool side by side with the tools it replaces (awscli, curl,
# aws-jwt-verify), written to docs/benchmarks.md.
#
#   make bench            (or: bash scripts/bench.sh)
#
# It builds cogtool as released (CGO_ENABLED=0, -trimpath -ldflags "-s -w"),
# starts the test peers (moto's server, the client_credentials peer) and the
# example API (examples/weatherapi), writes the request files, and hands
# over to bench/pair (the bench module, which the product's go.mod does not
# build): it generates the Cognito-shaped tokens, times each pair of
# commands alternately after a warm-up, runs the Go benchmarks of the bench
# module with -cpu 1,N, and writes docs/benchmarks.md with the machine, both
# medians, the ratio, the target and pass/miss of every row, and
# bench/notes.md (what bounds each figure).
#
# Knobs: BENCH_RUNS (timed runs a side, default 10), BENCH_WARMUP (2),
# BENCH_TOKENS (10000), BENCH_GOCOUNT (Go benchmark runs, 5),
# BENCH_OUT (docs/benchmarks.md).
# Needs: Go (the pinned toolchain), Node.js 20+ and npm, curl, python3 with
# moto[server] and awscli (`make peers` checks moto). Everything runs on
# 127.0.0.1 with dummy AWS credentials and an isolated config, cache and AWS
# config in a temporary folder, removed on exit with every process started.
# A missed target is reported, not an error: the script exits non-zero only
# when something could not be measured. It is never part of `make test`.
set -euo pipefail

export GOTOOLCHAIN=go1.27.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-2}
TOKENS=${BENCH_TOKENS:-10000}
GOCOUNT=${BENCH_GOCOUNT:-5}
OUT=${BENCH_OUT:-docs/benchmarks.md}
STARTED=$(date +%s)
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cogtool-bench.XXXXXX")
PIDS=()
cleanup() {
	local pid i
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	# Give each 5 s to stop cleanly, then kill it: never hang here.
	for pid in "${PIDS[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# wait_for FILE SECONDS: wait until FILE exists.
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[[ -s $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

command -v node >/dev/null || die "node is not installed"
command -v curl >/dev/null || die "curl is not installed"
python3 -m awscli --version >/dev/null 2>&1 || die "python3 -m awscli does not run (pip install awscli)"

log "building cogtool (release flags) and the bench tools in $WORK"
BIN=$WORK/bin
mkdir -p "$BIN"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/cogtool/cogtool/internal/build.Version=bench" \
	-o "$BIN/cogtool" ./cmd/cogtool
go build -o "$BIN/" ./internal/testpeers/peerctl
CGO_ENABLED=0 go build -trimpath -o "$BIN/weatherapi" ./examples/weatherapi
(cd bench && go build -o "$BIN/pair" ./pair && go test -c -o "$BIN/bench.test" .)

if [[ ! -f bench/node/node_modules/.installed || bench/node/package-lock.json -nt bench/node/node_modules/.installed ]]; then
	log "installing aws-jwt-verify (npm ci in bench/node)"
	npm ci --prefix bench/node --no-audit --no-fund --loglevel=error
	touch bench/node/node_modules/.installed
fi
AJV_VERSION=$(node -p "require('./bench/node/node_modules/aws-jwt-verify/package.json').version")

# Isolated settings: nothing of the user's cogtool or AWS configuration is
# read, and both tools of a pair see the same environment. AWS_CA_BUNDLE is
# dropped: the peers are plain http on loopback.
export XDG_CACHE_HOME=$WORK/cache XDG_CONFIG_HOME=$WORK/config
export AWS_CONFIG_FILE=$WORK/aws/config AWS_SHARED_CREDENTIALS_FILE=$WORK/aws/credentials
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" NO_COLOR=1
unset AWS_PROFILE AWS_CA_BUNDLE AWS_ENDPOINT_URL AWS_SESSION_TOKEN
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\(COGTOOL_[A-Z_]*\)=.*/\1/p')
mkdir -p "$WORK/cache" "$WORK/config" "$WORK/aws"

log "starting the test peers"
"$BIN/peerctl" -env "$WORK/peers.env" -moto -oauth2 >"$WORK/peerctl.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/peers.env" 90 || { cat "$WORK/peerctl.log" >&2; die "the peers did not start"; }
# shellcheck disable=SC1091
. "$WORK/peers.env"

log "starting the example API"
: >"$WORK/weatherapi.log"
"$BIN/weatherapi" -addr 127.0.0.1:0 -issuer "$OAUTH2_ISSUER" -jwks-url "$OAUTH2_JWKS_URL" \
	-client-id "$CC_CLIENT_ID" -scope api/read >"$WORK/weatherapi.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do
	API=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$WORK/weatherapi.log" || true)
	[[ -n $API ]] && break
	sleep 0.1
done
[[ -n $API ]] || { cat "$WORK/weatherapi.log" >&2; die "the example API did not start"; }

# Request bodies and curl configs live in files, so no password, secret or
# token is in any argv (and the labels below are what the table shows).
COG=$BIN/cogtool
printf '%s\n' "$TEST_PASSWORD" >"$WORK/password"
cat >"$WORK/initiate-auth.json" <<EOF
{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"$MOTO_PUBLIC_CLIENT_ID","AuthParameters":{"USERNAME":"$TEST_USERNAME","PASSWORD":"$TEST_PASSWORD"}}
EOF
cat >"$WORK/set-password.json" <<EOF
{"UserPoolId":"$MOTO_POOL_ID","Username":"$TEST_USERNAME","Password":"$TEST_PASSWORD","Permanent":true}
EOF
cat >"$WORK/initiate-auth.curl" <<EOF
silent
show-error
fail
url = "$MOTO_URL/"
header = "Content-Type: application/x-amz-json-1.1"
header = "X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth"
data-binary = "@$WORK/initiate-auth.json"
EOF
cat >"$WORK/client-credentials.curl" <<EOF
silent
show-error
fail
url = "$OAUTH2_TOKEN_URL"
user = "$CC_CLIENT_ID:$CC_CLIENT_SECRET"
data = "grant_type=client_credentials"
data-urlencode = "scope=api/read"
EOF

# The client_credentials profile that `call` uses; its secret stays in the
# environment (CC_CLIENT_SECRET, from peers.env).
"$COG" config set --profile cc flow client-credentials
"$COG" config set --profile cc token_url "$OAUTH2_TOKEN_URL"
"$COG" config set --profile cc client_id "$CC_CLIENT_ID"
"$COG" config set --profile cc client_secret env:CC_CLIENT_SECRET
"$COG" config set --profile cc scopes api/read
TOKEN=$("$COG" token client-credentials --profile cc -o token) # fills the cache
# The cached row must not reach the token endpoint at all.
token_requests() { curl -fsS "$OAUTH2_STATS_URL" | sed -n 's/.*"token_requests":\([0-9]*\).*/\1/p'; }
before=$(token_requests)
[[ -n $before ]] || die "cannot read the token endpoint's request count"
for _ in 1 2 3; do "$COG" token client-credentials --profile cc -o token >/dev/null; done
[[ $(token_requests) == "$before" ]] || die "cogtool token client-credentials reached the token endpoint with a cached token"
cat >"$WORK/call.curl" <<EOF
silent
show-error
fail
url = "$API/weatherforecast"
header = "Authorization: Bearer $TOKEN"
EOF
"$COG" call --profile cc "$API/weatherforecast" >/dev/null 2>&1 || die "cogtool call does not work against the example API"

# bench/pair reads where everything is from the environment.
export BENCH_COGTOOL=$COG BENCH_API=$API BENCH_NODE_SCRIPT=bench/node/verify.mjs BENCH_AWS_JWT_VERIFY=$AJV_VERSION
export MOTO_URL MOTO_PUBLIC_CLIENT_ID MOTO_POOL_ID TEST_USERNAME
"$BIN/pair" -work "$WORK" -gobench "$BIN/bench.test" -gocount "$GOCOUNT" -runs "$RUNS" -warmup "$WARMUP" \
	-tokens "$TOKENS" -out "$OUT" -notes bench/notes.md -loadavg "$LOADAVG" -started "$STARTED" \
	-meta "Linux=$(uname -r)" \
	-meta "Node.js=$(node --version)" \
	-meta "aws-jwt-verify=$AJV_VERSION" \
	-meta "awscli=$(python3 -m awscli --version 2>&1 | cut -d' ' -f1)" \
	-meta "moto=$(python3 -c 'import moto; print(moto.__version__)')" \
	-meta "curl=$(curl --version | head -n 1 | cut -d' ' -f2)" \
	-meta "oauth2-mock-server=$(node -p "require('./testdata/peers/node_modules/oauth2-mock-server/package.json').version" 2>/dev/null || echo '?')"
log "wrote $OUT"

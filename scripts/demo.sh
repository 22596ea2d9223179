#!/usr/bin/env bash
# demo.sh: replay the seed article's walkthrough with cogtool, against local
# peers instead of AWS, and check that every step behaves as shown.
#
#   make demo            (or: bash scripts/demo.sh)
#
# It starts cognito-local (the user-pool API) and a client_credentials token
# endpoint shaped like Cognito's, seeds them, and runs two instances of the
# example API (examples/weatherapi): one trusting the token endpoint's
# issuer and requiring the scope dotnet-demo/dotnet, one trusting
# cognito-local's issuer and accepting ID tokens of its public app client.
# Then it prints each command with a "$ " prefix before its output.
#
# Needs: Go (the pinned toolchain is fetched on first use), Node.js 20+ and
# npm, curl. Everything runs on 127.0.0.1 with dummy AWS credentials and an
# isolated config and cache in a temporary folder, which is removed on exit,
# failure or Ctrl-C together with every process the script started.
# Exits non-zero if any step did not behave as shown.
set -euo pipefail

export GOTOOLCHAIN=go1.27.3

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Colour only on a terminal, and never with NO_COLOR set.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
	C_CMD=$'\e[1;36m' C_NOTE=$'\e[2m' C_OK=$'\e[32m' C_ERR=$'\e[1;31m' C_OFF=$'\e[0m'
else
	C_CMD='' C_NOTE='' C_OK='' C_ERR='' C_OFF=''
fi

note() { printf '%s# %s%s\n' "$C_NOTE" "$*" "$C_OFF"; }
die() {
	printf '%sdemo: %s%s\n' "$C_ERR" "$*" "$C_OFF" >&2
	exit 1
}

DEMO=$(mktemp -d "${TMPDIR:-/tmp}/cogtool-demo.XXXXXX")
BIN=$DEMO/bin
WORK=$DEMO/work
OUT=$DEMO/step.out
mkdir -p "$BIN" "$WORK"
PIDS=()

cleanup() {
	local rc=$?
	trap - EXIT
	trap '' INT TERM # a second Ctrl-C must not cut the cleanup short
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$DEMO"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_log NAME prints the last lines a background process wrote.
show_log() {
	if [[ -s "$DEMO/$1.log" ]]; then
		printf -- '--- last lines of %s ---\n' "$1" >&2
		tail -n 15 "$DEMO/$1.log" >&2
	fi
}

# step WANT_RC COMMAND: print COMMAND (each line with "$ "), run it in the
# work folder, print its output, and stop the demo if it exits with anything
# but WANT_RC. The command's stdout and stderr are kept in $OUT for expect.
STEPS=0
step() {
	local want=$1 cmd=$2 rc=0 line prompt='$ '
	while IFS= read -r line; do
		printf '%s%s%s%s\n' "$C_CMD" "$prompt" "$line" "$C_OFF"
		# A line ending in \ or | continues the command: no new prompt.
		case $line in *\\ | *\|) prompt='' ;; *) prompt='$ ' ;; esac
	done <<<"$cmd"
	(cd "$WORK" && eval "$cmd") >"$OUT" 2>&1 || rc=$?
	cat "$OUT"
	cat "$OUT" >>"$DEMO/transcript"
	[[ -s "$OUT" && -n "$(tail -c1 "$OUT")" ]] && echo # end a body that has no newline
	if [[ $rc -ne $want ]]; then
		die "that command exited $rc, the demo expects $want"
	fi
	STEPS=$((STEPS + 1))
	echo
}

# expect TEXT...: every TEXT must appear in the last step's output (case
# ignored: header names are printed as the server spells them).
expect() {
	local t
	for t in "$@"; do
		grep -qiF -- "$t" "$OUT" || die "the output above lacks \"$t\""
	done
}

# expect_re REGEX...: the same with extended regular expressions.
expect_re() {
	local t
	for t in "$@"; do
		grep -qiE -- "$t" "$OUT" || die "the output above does not match /$t/"
	done
}

# ---------------------------------------------------------------------------
# Setup: peers, binaries, two API instances. Not part of the walkthrough.

command -v node >/dev/null || die "node is not on PATH: install Node.js 20 or later"
command -v curl >/dev/null || die "curl is not on PATH"
if [[ ! -d testdata/peers/node_modules ]]; then
	note "installing the pinned test peers (npm ci --prefix testdata/peers)"
	npm ci --prefix testdata/peers --no-audit --no-fund --loglevel=error
fi

note "building cogtool, the example API and the peer launcher"
go build -o "$BIN/" ./cmd/cogtool ./examples/weatherapi ./internal/testpeers/peerctl
export PATH="$BIN:$PATH"

# Only the demo's own settings: no profile, endpoint or credentials from the
# caller's shell or ~/.aws may leak in.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(COGTOOL_|AWS_)' || true)
export XDG_CONFIG_HOME=$DEMO/config XDG_CACHE_HOME=$DEMO/cache
export AWS_CONFIG_FILE=$DEMO/aws-config AWS_SHARED_CREDENTIALS_FILE=$DEMO/aws-credentials
export AWS_EC2_METADATA_DISABLED=true
# cogtool's human output, although this script captures it through a pipe.
export COGTOOL_OUTPUT=text

note "starting cognito-local and the client_credentials token endpoint"
"$BIN/peerctl" -env "$DEMO/peers.env" -cognito-local "$DEMO/cognito-local" -oauth2 -user= 2>"$DEMO/peerctl.log" &
PEERCTL=$!
PIDS+=("$PEERCTL")
for _ in $(seq 1 600); do
	[[ -f "$DEMO/peers.env" ]] && break
	if ! kill -0 "$PEERCTL" 2>/dev/null; then
		show_log peerctl
		die "the test peers did not start"
	fi
	sleep 0.1
done
[[ -f "$DEMO/peers.env" ]] || { show_log peerctl; die "the test peers took over a minute to start"; }
# shellcheck disable=SC1091
. "$DEMO/peers.env"

# start_api NAME ARGS...: run the example API on a free loopback port and
# set API_URL to its address once it listens.
start_api() {
	local name=$1 pid
	shift
	"$BIN/weatherapi" -addr 127.0.0.1:0 "$@" 2>"$DEMO/$name.log" &
	pid=$!
	PIDS+=("$pid")
	API_URL=
	for _ in $(seq 1 100); do
		API_URL=$(sed -n 's/^listening on //p' "$DEMO/$name.log")
		[[ -n "$API_URL" ]] && return
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	show_log "$name"
	die "the example API ($name) did not start"
}
start_api api-cc -issuer "$OAUTH2_ISSUER" -jwks-url "$OAUTH2_JWKS_URL" \
	-client-id "$CC_CLIENT_ID" -token-use access -scope dotnet-demo/dotnet
export API_CC=$API_URL
start_api api-id -issuer "$CL_ISSUER" -jwks-url "$CL_JWKS_URL" \
	-client-id "$CL_CLIENT_ID" -token-use id
export API_ID=$API_URL

# The app client secret, as a CI job would hold it; never printed.
export DEMO_CLIENT_SECRET=$CC_CLIENT_SECRET
(umask 077 && printf '%s\n' "$CC_CLIENT_SECRET" >"$WORK/cc-secret.txt")
# alice's password: fresh for every run, never printed.
ALICE_PASSWORD="Demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Aa1!"
export ALICE_PASSWORD

echo
note "token endpoint  OAUTH2_TOKEN_URL=$OAUTH2_TOKEN_URL (issuer $OAUTH2_ISSUER)"
note "user-pool API   COGNITO_LOCAL_URL=$COGNITO_LOCAL_URL (pool $CL_POOL_ID)"
note "weather API 1   API_CC=$API_CC (trusts the token endpoint, requires dotnet-demo/dotnet)"
note "weather API 2   API_ID=$API_ID (trusts the pool, accepts ID tokens of client $CL_CLIENT_ID)"
echo

# ---------------------------------------------------------------------------
# 1. The API is protected.

note "1. Without a token the API answers 401. (cogtool call always sends a token, so this is curl.)"
step 0 'curl -s -i "$API_CC/weatherforecast"'
expect "HTTP/1.1 401" 'WWW-Authenticate: Bearer realm="weatherapi"'

# ---------------------------------------------------------------------------
# 2. Machine to machine: client credentials.

note "2. Get an access token with the client-credentials grant, look inside it, verify it, call the API."
step 0 'cogtool token client-credentials --token-url "$OAUTH2_TOKEN_URL" --client-id cc-client \
    --client-secret-file cc-secret.txt --scope dotnet-demo/dotnet -o token > cc.token'
[[ $(wc -l <"$WORK/cc.token") -eq 1 && $(head -c3 "$WORK/cc.token") == eyJ ]] ||
	die "-o token did not print exactly one JWT"

step 0 'cogtool decode - < cc.token'
expect "signature not verified"
expect_re "token_use[[:space:]]+access" "scope[[:space:]]+dotnet-demo/dotnet"

step 0 'cogtool verify --issuer "$OAUTH2_ISSUER" --jwks-url "$OAUTH2_JWKS_URL" \
    --token-use access --client-id cc-client --scope dotnet-demo/dotnet - < cc.token'
expect "valid access token"

step 0 'cogtool call --token - "$API_CC/weatherforecast" < cc.token'
expect "200 OK" '"temperatureC"' '"summary"'

note "Save the settings as a profile; call then gets (and caches) the token by itself."
step 0 'cogtool config set --profile cc token_url "$OAUTH2_TOKEN_URL"
cogtool config set --profile cc client_id cc-client
cogtool config set --profile cc client_secret env:DEMO_CLIENT_SECRET
cogtool config set --profile cc scopes dotnet-demo/dotnet
cogtool config set --profile cc flow client-credentials'

step 0 'cogtool call --profile cc "$API_CC/weatherforecast"'
expect "200 OK" '"temperatureF"'

note "The token endpoint was asked once: the profile's call used the cached token."
step 0 'curl -s "$OAUTH2_STATS_URL"'
expect '"token_requests":1,'

note "A token without the API's scope is refused with 403 insufficient_scope."
step 0 'cogtool token client-credentials --profile cc --scope api/read -o token |
    cogtool call --token - --expect-status 403 -i "$API_CC/weatherforecast"'
expect "403 Forbidden" 'error="insufficient_scope"' 'scope="dotnet-demo/dotnet"'

# ---------------------------------------------------------------------------
# 3. A user: create, confirm, sign in, call.

note "3. Create a user, set a permanent password, sign in with USER_PASSWORD_AUTH, call with the ID token."
step 0 'cogtool config set --profile local endpoint_url "$COGNITO_LOCAL_URL"
cogtool config set --profile local region us-east-1
cogtool config set --profile local user_pool_id "$CL_POOL_ID"
cogtool config set --profile local client_id "$CL_CLIENT_ID"
cogtool config set --profile local issuer "$CL_ISSUER"
cogtool config set --profile local jwks_url "$CL_JWKS_URL"
cogtool config set --profile local username alice
cogtool config set --profile local flow password'

step 0 'cogtool user create alice --profile local --attribute email=alice@example.com --suppress-message'
expect "FORCE_CHANGE_PASSWORD"

step 0 'cogtool user get alice --profile local'
expect "FORCE_CHANGE_PASSWORD"

step 0 'printf "%s\n" "$ALICE_PASSWORD" | cogtool user set-password alice --profile local --password-stdin'

step 0 'cogtool user get alice --profile local'
expect "CONFIRMED"

step 0 'printf "%s\n" "$ALICE_PASSWORD" | cogtool token password --profile local --password-stdin --which id -o token > alice-id.token'
[[ $(head -c3 "$WORK/alice-id.token") == eyJ ]] || die "-o token --which id did not print a JWT"

step 0 'cogtool verify --profile local --token-use id - < alice-id.token'
expect "valid id token"

note "No password needed now: call takes alice's ID token from the cache."
step 0 'cogtool call --profile local --which id "$API_ID/weatherforecast"'
expect "200 OK" '"temperatureC"'

note "Each API trusts one pool's keys and issuer: alice's token is refused by the client-credentials API."
step 0 'cogtool call --token - --expect-status 401 -i "$API_CC/weatherforecast" < alice-id.token'
expect "401 Unauthorized" 'error="invalid_token"'
expect_re "unknown kid|issuer mismatch"

# Nothing above may have printed a secret.
for secret in "$CC_CLIENT_SECRET" "$ALICE_PASSWORD"; do
	if grep -qF -- "$secret" "$DEMO/transcript" "$DEMO"/*.log; then
		die "a secret appeared in the output or the logs"
	fi
done

printf '%sdemo: all %d steps behaved as shown%s\n' "$C_OK" "$STEPS" "$C_OFF"

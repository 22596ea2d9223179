package cli_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/testpeers"
)

// This file holds the fault-injection tests of the hardening work and
// the helpers the other hardening tests share: every helper is prefixed
// with "hard" so that it cannot collide with the other test files of the
// package.

// hardResult is what one cogtool process did.
type hardResult struct {
	code           int
	stdout, stderr string
}

func (r hardResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// hardBin is the cogtool executable that testscript.Main put on $PATH: the
// test binary itself, which runs cli.Main when it is called cogtool.
func hardBin(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("cogtool")
	if err != nil {
		t.Fatalf("cogtool is not on $PATH (TestMain sets it up): %v", err)
	}
	return p
}

// hardEnv is a minimal, hermetic environment rooted at home: its own config
// and cache directories, dummy AWS credentials, no proxies, no colour.
// extra holds further NAME=value pairs.
func hardEnv(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"NO_COLOR=1",
		"AWS_ACCESS_KEY_ID=" + testpeers.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + testpeers.SecretAccessKey,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws-config-none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws-credentials-none"),
	}
	return append(env, extra...)
}

// hardCommand prepares one cogtool process.
func hardCommand(t testing.TB, ctx context.Context, env []string, stdin string, args ...string) (*exec.Cmd, *strings.Builder, *strings.Builder) {
	t.Helper()
	cmd := exec.CommandContext(ctx, hardBin(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// hardUmaskCommand is hardCommand run under a permissive umask (000), as
// a careless shell profile might leave it.
func hardUmaskCommand(t testing.TB, ctx context.Context, env []string, stdin string, args ...string) (*exec.Cmd, *strings.Builder, *strings.Builder) {
	t.Helper()
	cmd, stdout, stderr := hardCommand(t, ctx, env, stdin, args...)
	cmd.Args = append([]string{"sh", "-c", `umask 000 && exec "$0" "$@"`, cmd.Path}, args...)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Path = sh
	return cmd, stdout, stderr
}

// hardRunUmask is hardRun under umask 000.
func hardRunUmask(t testing.TB, env []string, stdin string, args ...string) hardResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, stdout, stderr := hardUmaskCommand(t, ctx, env, stdin, args...)
	return hardWait(t, cmd, cmd.Run(), stdout, stderr)
}

// hardRun runs cogtool with args and returns its exit code and output. A
// process that cannot be started, or runs for more than two minutes, fails
// the test.
func hardRun(t testing.TB, env []string, stdin string, args ...string) hardResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, stdout, stderr := hardCommand(t, ctx, env, stdin, args...)
	return hardWait(t, cmd, cmd.Run(), stdout, stderr)
}

func hardWait(t testing.TB, cmd *exec.Cmd, err error, stdout, stderr *strings.Builder) hardResult {
	t.Helper()
	r := hardResult{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", cmd.Args, err)
	}
	return r
}

// hardOneLine asserts that stderr is exactly one line, "cogtool: ...",
// matching re, with no Go panic or trace in it.
func hardOneLine(t testing.TB, r hardResult, re string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if !strings.HasSuffix(r.stderr, "\n") || len(lines) != 1 || !strings.HasPrefix(lines[0], "cogtool: ") {
		t.Fatalf("stderr is not one line starting with \"cogtool: \":\n%s", r)
	}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") {
		t.Fatalf("stderr holds a Go trace:\n%s", r)
	}
	if !regexp.MustCompile(re).MatchString(lines[0]) {
		t.Fatalf("stderr does not match %q:\n%s", re, r)
	}
}

// Fault kinds the fault server injects.
const (
	fault500        = "500"
	fault503        = "503 with Retry-After"
	fault429        = "429"
	faultTooMany    = "TooManyRequestsException"
	faultThrottling = "ThrottlingException"
	faultSlow       = "reply slower than --timeout"
	faultReset      = "connection reset"
	faultTruncated  = "truncated JSON"
	faultHTML       = "HTML page from a proxy"
	faultAuth       = "4xx auth error"
	faultAuth401    = "401 auth error"
)

// faultServer stands in for one endpoint and fails every request the same
// way, counting them.
type faultServer struct {
	*httptest.Server
	requests atomic.Int32
}

// awsError writes an AWS JSON 1.1 error reply, as the user-pool API sends it.
func awsError(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", name)
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"__type":%q,"message":%q}`, name, msg)
}

const proxyPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>
`

func newFaultServer(t *testing.T, target, kind string) *faultServer {
	t.Helper()
	s := &faultServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		// Read the whole request first, as a real server does: a reply
		// or a reset that races the client's write of its body would
		// fail the write instead, which the client may retry.
		_, _ = io.Copy(io.Discard, r.Body)
		idp := target == "idp" || target == "admin"
		switch kind {
		case fault500:
			if idp {
				awsError(w, 500, "InternalErrorException", "internal failure")
				return
			}
			http.Error(w, "internal server error", http.StatusInternalServerError)
		case fault503:
			w.Header().Set("Retry-After", "1")
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		case fault429:
			w.Header().Set("Retry-After", "1")
			http.Error(w, "too many requests", http.StatusTooManyRequests)
		case faultTooMany:
			awsError(w, 400, "TooManyRequestsException", "Too many requests")
		case faultThrottling:
			awsError(w, 400, "ThrottlingException", "Rate exceeded")
		case faultSlow:
			// The request was read, so the server notices the client
			// hanging up, which ends r.Context().
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, "{}")
		case faultReset:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST
			}
			conn.Close()
		case faultTruncated:
			body := map[string]string{
				"idp":   `{"AuthenticationResult":{"AccessToken":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIi`,
				"admin": `{"Username":"alice","UserAttributes":[{"Name":"sub","Val`,
				"token": `{"access_token":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIi`,
				"jwks":  `{"keys":[{"kty":"RSA","alg":"RS256","kid":"k1","n":"0vx7ago`,
				"call":  `{"forecast":[{"date":"2026-01-01","temperatureC":`,
			}[target]
			ct := "application/json"
			if idp {
				ct = "application/x-amz-json-1.1"
			}
			w.Header().Set("Content-Type", ct)
			// The reply ends early: the connection closes before the
			// promised length. The SDK reads the body inside its retry
			// loop, where such a close may surface as a reset and be
			// retried; so the user-pool API gets a whole reply holding
			// cut-off JSON instead, which is deterministic.
			w.Header().Set("Content-Length", fmt.Sprint(len(body)+100))
			if idp {
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			}
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, body)
		case faultHTML:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, proxyPage)
		case faultAuth:
			switch target {
			case "idp":
				awsError(w, 400, "NotAuthorizedException", "Incorrect username or password.")
			case "admin":
				awsError(w, 400, "AccessDeniedException", "User is not authorized to perform: cognito-idp:AdminGetUser")
			case "token":
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"invalid_client"}`)
			case "jwks":
				http.Error(w, "forbidden", http.StatusForbidden)
			case "call":
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
			}
		case faultAuth401:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", `Basic realm="cognito"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
		default:
			panic("unknown fault " + kind)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// hardFakeToken is a JWT-shaped string for call --token; the fault server
// never looks at it.
const hardFakeToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsInRva2VuX3VzZSI6ImFjY2VzcyJ9.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"

// faultArgs is the command line that sends one request to target at url.
// A slow reply meets a 1s --timeout; other faults get 10s, which covers the
// retries and their backoff (the timeout bounds them all).
func faultArgs(target, kind, url string) (args, env []string) {
	args, env = faultCommand(target, url)
	timeout := "10s"
	if kind == faultSlow {
		timeout = "1s"
	}
	return append(args, "--timeout", timeout), env
}

func faultCommand(target, url string) (args, env []string) {
	switch target {
	case "idp":
		return []string{"token", "password", "--no-cache", "--endpoint-url", url, "--region", "us-east-1",
			"--client-id", "faultclient", "--username", "alice"}, []string{"COGTOOL_PASSWORD=Fault-Passw0rd!"}
	case "admin":
		return []string{"user", "get", "alice", "--endpoint-url", url, "--user-pool-id", "us-east-1_Fault"}, nil
	case "token":
		return []string{"token", "client-credentials", "--no-cache", "--token-url", url + "/oauth2/token",
			"--client-id", "faultclient"}, []string{"COGTOOL_CLIENT_SECRET=fault-client-secret"}
	case "jwks":
		return []string{"jwks", "--jwks-url", url + "/us-east-1_Fault/.well-known/jwks.json"}, nil
	case "call":
		return []string{"call", "--token", hardFakeToken, url + "/weatherforecast"}, nil
	}
	panic("unknown target " + target)
}

// TestFaults runs each command that talks to a server against a server
// that fails in each of the ways a network fails, and checks the exit code,
// the one line naming the endpoint and the failure, and how many requests
// were made: the IdP API retries with the SDK's standard retryer (3
// attempts, on 5xx, throttling and connection errors, not on a timeout), the token and JWKS
// endpoints with httpx's bounded retry (3 attempts, not on a timeout), and
// call never retries (an API call may not be idempotent). 4xx refusals are
// never retried.
func TestFaults(t *testing.T) {
	type want struct {
		code     int
		requests int32
		re       string // the one stderr line, after "cogtool: "
	}
	cases := map[string]map[string]want{
		"idp": {
			fault500:        {5, 3, `InternalErrorException.*after 3 attempts`},
			fault503:        {5, 3, `HTTP 503.*after 3 attempts`},
			fault429:        {5, 3, `throttled.*HTTP 429.*after 3 attempts`},
			faultTooMany:    {5, 3, `TooManyRequestsException.*after 3 attempts`},
			faultThrottling: {5, 3, `ThrottlingException.*after 3 attempts`},
			faultSlow:       {5, 1, `timed out after 1s`},
			faultReset:      {5, 3, `connection (reset|closed)`},
			faultTruncated:  {5, 1, `cut off`},
			faultHTML:       {5, 3, `502`},
			faultAuth:       {4, 1, `NotAuthorizedException`},
		},
		"admin": {
			fault500:        {5, 3, `InternalErrorException.*after 3 attempts`},
			fault503:        {5, 3, `HTTP 503.*after 3 attempts`},
			fault429:        {5, 3, `throttled.*HTTP 429.*after 3 attempts`},
			faultTooMany:    {5, 3, `TooManyRequestsException.*after 3 attempts`},
			faultThrottling: {5, 3, `ThrottlingException.*after 3 attempts`},
			faultSlow:       {5, 1, `timed out after 1s`},
			faultReset:      {5, 3, `connection (reset|closed)`},
			faultTruncated:  {5, 1, `cut off`},
			faultHTML:       {5, 3, `502`},
			faultAuth:       {4, 1, `AccessDeniedException`},
		},
		"token": {
			fault500:       {5, 3, `HTTP 500`},
			fault503:       {5, 3, `HTTP 503`},
			fault429:       {5, 3, `(?i)throttl.*429`},
			faultSlow:      {5, 1, `timed out after 1s`},
			faultReset:     {5, 3, `connection (reset|closed)`},
			faultTruncated: {5, 1, `cut off`},
			faultHTML:      {5, 3, `HTTP 502`},
			faultAuth:      {4, 1, `invalid_client`},
			faultAuth401:   {4, 1, `invalid_client`},
		},
		"jwks": {
			fault500:       {5, 3, `500`},
			fault503:       {5, 3, `503`},
			fault429:       {5, 3, `429`},
			faultSlow:      {5, 1, `timed out after 1s`},
			faultReset:     {5, 3, `connection (reset|closed)`},
			faultTruncated: {5, 1, `(?i)cut off|truncated|unexpected EOF`},
			faultHTML:      {5, 3, `502`},
			faultAuth:      {5, 1, `403`},
		},
		"call": {
			fault500:       {6, 1, `500 Internal Server Error, expected a 2xx status`},
			fault503:       {6, 1, `503 Service Unavailable, expected a 2xx status`},
			fault429:       {6, 1, `429 Too Many Requests, expected a 2xx status`},
			faultSlow:      {5, 1, `timed out after 1s`},
			faultReset:     {5, 1, `connection (reset|closed)`},
			faultTruncated: {5, 1, `(?i)cut off|truncated|unexpected EOF|closed`},
			faultHTML:      {6, 1, `502 Bad Gateway, expected a 2xx status`},
			faultAuth:      {6, 1, `401 Unauthorized, expected a 2xx status`},
		},
	}
	for target, faults := range cases {
		for kind, w := range faults {
			t.Run(target+"/"+kind, func(t *testing.T) {
				t.Parallel()
				srv := newFaultServer(t, target, kind)
				args, extra := faultArgs(target, kind, srv.URL)
				r := hardRun(t, hardEnv(t.TempDir(), extra...), "", args...)
				if r.code != w.code {
					t.Fatalf("exit code %d, want %d\n%s", r.code, w.code, r)
				}
				if r.stdout != "" && target != "call" {
					t.Errorf("stdout is not empty:\n%s", r)
				}
				// call prints the status line of a reply before the error.
				if w.code == 6 {
					status, rest, _ := strings.Cut(r.stderr, "\n")
					if !strings.HasPrefix(status, "HTTP/1.1 ") {
						t.Fatalf("no status line first:\n%s", r)
					}
					r.stderr = rest
				}
				// A failure names the endpoint (host and port), and what failed.
				if w.code != 4 {
					hardOneLine(t, r, regexp.QuoteMeta(strings.TrimPrefix(srv.URL, "http://")))
				}
				hardOneLine(t, r, w.re)
				if n := srv.requests.Load(); n != w.requests {
					t.Errorf("%d requests, want %d\n%s", n, w.requests, r)
				}
			})
		}
	}
}

// hardMode asserts the permission bits of path.
func hardMode(t testing.TB, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", path, got, want)
	}
}

// hardSign returns an RS256 JWT of claims signed by key under kid.
func hardSign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]string{"alg": "RS256", "kid": kid}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// hardJWKS is the JWKS that publishes key under kid, as Cognito does.
func hardJWKS(key *rsa.PublicKey, kid string) []byte {
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}})
	return b
}

// TestJWKSOutage: with a JWKS cached on disk, verify keeps working while
// the JWKS endpoint is down (even with a stale copy, which it tries to
// refresh with bounded retries); with none cached it exits 5, not 3.
func TestJWKSOutage(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /us-east-1_Outage/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if down.Load() {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(hardJWKS(&key.PublicKey, "outage-kid"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	issuer := srv.URL + "/us-east-1_Outage"
	jwksURL := issuer + "/.well-known/jwks.json"
	now := time.Now()
	tok := hardSign(t, key, "outage-kid", map[string]any{
		"iss": issuer, "sub": "alice", "token_use": "access", "client_id": "outageclient",
		"scope": "api/read", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	home := t.TempDir()
	env := hardEnv(home)
	args := []string{"verify", "--issuer", issuer, "--jwks-url", jwksURL, "--timeout", "10s", tok}
	jwksDir := filepath.Join(home, ".cache", "cogtool", "jwks")
	valid := func(t *testing.T, r hardResult) {
		t.Helper()
		if r.code != 0 || !strings.Contains(r.stdout, `"valid":true`) {
			t.Fatalf("want a valid token:\n%s", r)
		}
		if strings.Contains(r.stderr, "panic") {
			t.Fatalf("stderr:\n%s", r)
		}
	}

	// No JWKS cached and the endpoint down: exit 5 (the token was not
	// judged), one line naming the JWKS URL; 3 attempts, then no more.
	down.Store(true)
	r := hardRun(t, env, "", args...)
	if r.code != 5 {
		t.Fatalf("exit %d, want 5\n%s", r.code, r)
	}
	hardOneLine(t, r, regexp.QuoteMeta(jwksURL)+`.*503`)
	if r.stdout != "" {
		t.Errorf("stdout is not empty:\n%s", r)
	}
	if n := hits.Swap(0); n != 3 {
		t.Errorf("%d JWKS requests, want 3", n)
	}

	// The endpoint up: verify fetches the JWKS once and caches it on disk,
	// 0600 in a 0700 directory even under umask 000.
	down.Store(false)
	valid(t, hardRunUmask(t, env, "", args...))
	if n := hits.Swap(0); n != 1 {
		t.Errorf("%d JWKS requests, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(jwksDir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("JWKS cache files: %v, want one", files)
	}
	hardMode(t, jwksDir, 0o700)
	hardMode(t, filepath.Dir(jwksDir), 0o700)
	hardMode(t, files[0], 0o600)

	// The endpoint down: the cached copy serves, with no request at all.
	down.Store(true)
	valid(t, hardRun(t, env, "", args...))
	if n := hits.Swap(0); n != 0 {
		t.Errorf("%d JWKS requests with a fresh cache, want 0", n)
	}

	// A stale copy (fetched two days ago) is refreshed, and when that fails
	// after 3 attempts, still used: a stale JWKS beats an outage.
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var entry map[string]any
	if err := json.Unmarshal(b, &entry); err != nil {
		t.Fatal(err)
	}
	entry["fetched_at"] = now.Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	b, _ = json.Marshal(entry)
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	valid(t, hardRun(t, env, "", args...))
	if n := hits.Swap(0); n != 3 {
		t.Errorf("%d JWKS requests with a stale cache and an outage, want 3", n)
	}

	// The endpoint gone altogether (connection refused): still valid.
	srv.Close()
	valid(t, hardRun(t, env, "", args...))
}

// TestTokenCacheConcurrentProcesses: twelve cogtool processes asking at
// once for the same client-credentials token make one token request
// between them and leave one valid cache file, 0600 in a 0700 directory
// under umask 000. A garbage or truncated cache file then earns a warning,
// a fresh fetch and a rewritten file.
func TestTokenCacheConcurrentProcesses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	peer, err := testpeers.StartOAuth2(ctx, testpeers.OAuth2Options{})
	testpeers.Need(t, "oauth2", err)
	defer peer.Stop()
	home := t.TempDir()
	env := hardEnv(home, "COGTOOL_CLIENT_SECRET="+testpeers.DefaultCCSecret)
	args := []string{"token", "client-credentials", "--token-url", peer.TokenURL,
		"--client-id", testpeers.DefaultCCClientID, "--scope", "api/read", "-o", "token"}
	requests := func(want int) {
		t.Helper()
		n, err := peer.TokenRequests()
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("token requests: %d, want %d", n, want)
		}
	}

	const procs = 12
	results := make([]hardResult, procs)
	var wg sync.WaitGroup
	cmds := make([]*exec.Cmd, procs)
	outs := make([][2]*strings.Builder, procs)
	for i := range procs {
		cmds[i], outs[i][0], outs[i][1] = hardUmaskCommand(t, ctx, env, "", args...)
	}
	errs := make([]error, procs)
	for i := range procs {
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmds[i].Wait()
		}()
	}
	wg.Wait()
	for i := range procs {
		results[i] = hardWait(t, cmds[i], errs[i], outs[i][0], outs[i][1])
		if results[i].code != 0 || results[i].stderr != "" {
			t.Fatalf("process %d:\n%s", i, results[i])
		}
		if results[i].stdout != results[0].stdout {
			t.Fatalf("process %d printed another token than process 0", i)
		}
	}
	token := strings.TrimSpace(results[0].stdout)
	if strings.Count(token, ".") != 2 {
		t.Fatalf("not a JWT: %q", token)
	}
	requests(1)

	dir := filepath.Join(home, ".cache", "cogtool")
	cacheFile := func() string {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(files) != 1 {
			t.Fatalf("cache files %v, want one", files)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") && !strings.HasSuffix(e.Name(), ".lock") && e.Name() != "binding.key" {
				t.Errorf("stray file in the cache directory: %s", e.Name())
			}
			hardMode(t, filepath.Join(dir, e.Name()), 0o600)
		}
		hardMode(t, dir, 0o700)
		return files[0]
	}
	cached := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("cache file is not JSON: %v", err)
		}
		return e.AccessToken
	}
	path := cacheFile()
	if cached(path) != token {
		t.Fatal("the cache file does not hold the token the processes printed")
	}

	garbage := make([]byte, 512)
	if _, err := rand.Read(garbage); err != nil {
		t.Fatal(err)
	}
	for i, bad := range []struct {
		name string
		data func(old []byte) []byte
	}{
		{"garbage", func([]byte) []byte { return garbage }},
		{"truncated", func(old []byte) []byte { return old[:len(old)/2] }},
	} {
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// A wide file in a wide directory: the rewrite restores both.
		if err := os.WriteFile(path, bad.data(old), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		r := hardRunUmask(t, env, "", args...)
		if r.code != 0 {
			t.Fatalf("%s cache file:\n%s", bad.name, r)
		}
		hardOneLine(t, r, `ignoring corrupt cache file `+regexp.QuoteMeta(path))
		got := strings.TrimSpace(r.stdout)
		if got == token || strings.Count(got, ".") != 2 {
			t.Fatalf("%s cache file: want a freshly fetched token, got %q", bad.name, got)
		}
		requests(2 + i)
		if p := cacheFile(); p != path || cached(p) != got {
			t.Fatalf("%s cache file was not rewritten with the new token", bad.name)
		}
		token = got
	}
}

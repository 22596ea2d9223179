package cli_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The tests in this file reproduce the attacks of a security review, one
// test per attack: each failed before the fix it comes with.

// attackServer is an httptest server that counts its requests and records
// the Authorization header of the last one.
type attackServer struct {
	*httptest.Server
	hits atomic.Int32
	auth atomic.Value // string
}

func newAttackServer(t *testing.T, tls bool, h http.HandlerFunc) *attackServer {
	s := &attackServer{}
	s.auth.Store("")
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.auth.Store(r.Header.Get("Authorization"))
		h(w, r)
	})
	if tls {
		s.Server = httptest.NewTLSServer(handler)
	} else {
		s.Server = httptest.NewServer(handler)
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(s.Close)
	return s
}

// caFile writes the server's certificate as a PEM bundle and returns its path.
func caFile(t *testing.T, srv *httptest.Server) string {
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func redirectTo(target string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, code)
	}
}

// TestRedirectAttacks: the token, revoke and JWKS requests never follow a
// redirect; call follows one only after the checks of the first URL, never
// from https to http, and drops Authorization when the origin changes.
func TestRedirectAttacks(t *testing.T) {
	dir := hardIsolate(t)
	env := map[string]string{"COGTOOL_CONFIG": filepath.Join(dir, "none.toml"), "COGTOOL_TIMEOUT": "10s"}
	const tok = hardFakeToken

	t.Run("call https to plain http", func(t *testing.T) {
		sink := newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) {})
		src := newAttackServer(t, true, redirectTo(sink.URL+"/steal", http.StatusFound))
		e := map[string]string{"AWS_CA_BUNDLE": caFile(t, src.Server)}
		for k, v := range env {
			e[k] = v
		}
		r := hardInProcess(t, e, "", "call", "--token", tok, src.URL+"/api")
		if r.code != 5 || sink.hits.Load() != 0 {
			t.Fatalf("want exit 5 and no request to the plain-http host (got %d)\n%s", sink.hits.Load(), r)
		}
		hardOneLine(t, r, `redirected to http://127\.0\.0\.1:\d+/steal, not followed: it goes from https to plain http`)
	})
	t.Run("call to plain http elsewhere", func(t *testing.T) {
		src := newAttackServer(t, false, redirectTo("http://192.0.2.1/steal", http.StatusFound))
		r := hardInProcess(t, env, "", "call", "--token", tok, src.URL+"/api")
		if r.code != 5 {
			t.Fatalf("exit %d, want 5\n%s", r.code, r)
		}
		hardOneLine(t, r, `not followed: plain http to a non-loopback host`)
	})
	t.Run("call drops Authorization on a change of port", func(t *testing.T) {
		other := newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
		src := newAttackServer(t, false, redirectTo(other.URL+"/there", http.StatusTemporaryRedirect))
		r := hardInProcess(t, env, "", "call", "--token", tok, src.URL+"/api")
		if r.code != 0 || other.hits.Load() != 1 {
			t.Fatalf("want the redirect followed\n%s", r)
		}
		if got := other.auth.Load().(string); got != "" {
			t.Errorf("the other origin received Authorization: %s", got)
		}
		if got := src.auth.Load().(string); got != "Bearer "+tok {
			t.Errorf("the first origin received Authorization %q", got)
		}
	})
	t.Run("call keeps Authorization on the same origin", func(t *testing.T) {
		var srv *attackServer
		srv = newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api" {
				http.Redirect(w, r, srv.URL+"/moved", http.StatusFound)
				return
			}
			io.WriteString(w, "ok")
		})
		r := hardInProcess(t, env, "", "call", "--token", tok, srv.URL+"/api")
		if r.code != 0 || srv.auth.Load().(string) != "Bearer "+tok {
			t.Fatalf("want the token sent to the same origin after a redirect (got %q)\n%s", srv.auth.Load(), r)
		}
	})
	t.Run("token URL never redirects", func(t *testing.T) {
		forged := newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"`+tok+`","token_type":"Bearer","expires_in":3600}`)
		})
		src := newAttackServer(t, false, redirectTo(forged.URL+"/oauth2/token", http.StatusTemporaryRedirect))
		for _, method := range []string{"basic", "post"} {
			e := map[string]string{"COGTOOL_CLIENT_SECRET": "redirected-client-secret"}
			for k, v := range env {
				e[k] = v
			}
			r := hardInProcess(t, e, "", "token", "client-credentials", "--client-id", "c", "--auth-method", method,
				"--token-url", src.URL+"/oauth2/token", "-o", "token")
			if r.code != 5 || r.stdout != "" {
				t.Fatalf("--auth-method %s: want exit 5 and no token\n%s", method, r)
			}
			hardOneLine(t, r, `not followed: this endpoint does not redirect`)
		}
		if n := forged.hits.Load(); n != 0 {
			t.Errorf("the redirect target got %d requests", n)
		}
	})
	t.Run("JWKS URL never redirects", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		evil := newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(hardJWKS(&key.PublicKey, "evil"))
		})
		src := newAttackServer(t, false, redirectTo(evil.URL+"/jwks.json", http.StatusFound))
		issuer := "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Redirect"
		forged := hardSign(t, key, "evil", map[string]any{
			"iss": issuer, "sub": "attacker", "token_use": "access", "client_id": "c",
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		})
		r := hardInProcess(t, env, "", "verify", "--issuer", issuer, "--jwks-url", src.URL+"/jwks.json", forged)
		if r.code != 5 || evil.hits.Load() != 0 {
			t.Fatalf("want exit 5 and no request to the redirect target\n%s", r)
		}
		matches, _ := filepath.Glob(filepath.Join(dir, "cache", "cogtool", "jwks", "*"))
		if len(matches) != 0 {
			t.Errorf("a JWKS was cached: %v", matches)
		}
	})
}

// TestEndpointFromSharedConfigGuarded: the user-pool endpoint the AWS SDK
// takes from ~/.aws/config (endpoint_url, or a [services] section) meets
// the same plain-http rule as --endpoint-url, before any request.
func TestEndpointFromSharedConfigGuarded(t *testing.T) {
	dir := hardIsolate(t)
	cfg := filepath.Join(dir, "aws-config")
	err := os.WriteFile(cfg, []byte(`[default]
endpoint_url = http://192.0.2.1

[profile svc]
services = evil

[services evil]
cognito_identity_provider =
  endpoint_url = http://192.0.2.1:8080
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	// An empty AWS_ENDPOINT_URL hides the [services] sections from the SDK.
	os.Unsetenv("AWS_ENDPOINT_URL")
	env := map[string]string{"COGTOOL_CONFIG": filepath.Join(dir, "none.toml"), "COGTOOL_TIMEOUT": "3s"}
	for _, profile := range []string{"default", "svc"} {
		t.Run(profile, func(t *testing.T) {
			t.Setenv("AWS_PROFILE", profile)
			r := hardInProcess(t, env, "New-Passw0rd!\n", "user", "set-password", "alice",
				"--user-pool-id", "us-east-1_Shared", "--password-stdin")
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r)
			}
			hardOneLine(t, r, `AdminSetUserPassword: endpoint URL http://192\.0\.2\.1(:8080)?/? uses plain http to a non-loopback host`)
			if strings.Contains(r.stderr, "New-Passw0rd!") {
				t.Errorf("the password was printed:\n%s", r)
			}
		})
	}
}

// TestLoopbackNeverProxied: with HTTP_PROXY and HTTPS_PROXY set, nothing
// meant for a loopback host reaches the proxy: names under .localhost are
// not loopback (they are resolved and proxied like any name) and are
// refused for plain http, and localhost and 127.0.0.1 go direct.
func TestLoopbackNeverProxied(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var proxied atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			proxied.Add(1)
			c.Close()
		}
	}()
	api := newAttackServer(t, false, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	_, port, _ := net.SplitHostPort(api.Listener.Addr().String())
	proxy := "http://" + ln.Addr().String()
	env := hardEnv(t.TempDir(), "HTTP_PROXY="+proxy, "HTTPS_PROXY="+proxy, "http_proxy="+proxy, "https_proxy="+proxy,
		"COGTOOL_CLIENT_SECRET=proxied-client-secret", "COGTOOL_TIMEOUT=5s")
	for _, host := range []string{"api.localhost", "localhost.", "evil.localhost"} {
		r := hardRun(t, env, "", "call", "--token", hardFakeToken, "http://"+host+":"+port+"/x")
		if r.code != 2 {
			t.Errorf("call %s: exit %d, want 2\n%s", host, r.code, r)
		}
		r = hardRun(t, env, "", "token", "client-credentials", "--no-cache", "--client-id", "c",
			"--token-url", "http://"+host+":"+port+"/oauth2/token")
		if r.code != 2 {
			t.Errorf("client-credentials %s: exit %d, want 2\n%s", host, r.code, r)
		}
	}
	for _, host := range []string{"localhost", "127.0.0.1", "LOCALHOST"} {
		r := hardRun(t, env, "", "call", "--token", hardFakeToken, "http://"+host+":"+port+"/x")
		if r.code != 0 {
			t.Errorf("call %s: exit %d, want 0\n%s", host, r.code, r)
		}
	}
	if n := api.hits.Load(); n != 3 {
		t.Errorf("the API got %d requests, want 3", n)
	}
	if n := proxied.Load(); n != 0 {
		t.Errorf("the proxy got %d connections", n)
	}
}

// TestPrivateCATrusted: the admin commands and verify reach an https
// endpoint whose certificate a private CA signed, when that CA is given
// in AWS_CA_BUNDLE or SSL_CERT_FILE; without either they refuse it.
func TestPrivateCATrusted(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv := newAttackServer(t, true, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/jwks.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write(hardJWKS(&key.PublicKey, "ca-kid"))
			return
		}
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".AdminGetUser") {
			awsError(w, 400, "InvalidParameterException", "unexpected call "+r.Header.Get("X-Amz-Target"))
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"Username":"alice","UserStatus":"CONFIRMED","Enabled":true,"UserAttributes":[{"Name":"email","Value":"alice@example.com"}]}`)
	})
	ca := caFile(t, srv.Server)
	issuer := "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ca"
	tok := hardSign(t, key, "ca-kid", map[string]any{
		"iss": issuer, "sub": "alice", "token_use": "access", "client_id": "c",
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	})
	userGet := []string{"user", "get", "alice", "--user-pool-id", "us-east-1_Ca", "--endpoint-url", srv.URL, "-o", "json", "--timeout", "10s"}
	verify := []string{"verify", "--issuer", issuer, "--jwks-url", srv.URL + "/jwks.json", "--timeout", "10s", tok}
	for _, v := range []string{"AWS_CA_BUNDLE", "SSL_CERT_FILE", ""} {
		env := hardEnv(t.TempDir())
		if v != "" {
			env = append(env, v+"="+ca)
		}
		want := 0
		if v == "" {
			want = 5
		}
		for _, args := range [][]string{userGet, verify} {
			r := hardRun(t, env, "", args...)
			if r.code != want {
				t.Errorf("%s with %s: exit %d, want %d\n%s", args[0], v, r.code, want, r)
			}
		}
	}
}

// TestNonRegularFilesRefused: a FIFO or a device where cogtool expects a
// regular file (--config, --jwks-file, --client-secret-file, a password
// file, -d @FILE) is refused at once with exit 2, instead of hanging or
// reading without end; stdin (-) still works.
func TestNonRegularFilesRefused(t *testing.T) {
	home := t.TempDir()
	fifo := filepath.Join(home, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skip(err)
	}
	env := hardEnv(home, "COGTOOL_TIMEOUT=5s")
	cases := map[string][]string{
		"--config fifo":             {"config", "list", "--config", fifo},
		"--config /dev/zero":        {"config", "list", "--config", "/dev/zero"},
		"--jwks-file fifo":          {"verify", "--jwks-file", fifo, "--issuer", "https://issuer.example", hardFakeToken},
		"--jwks-file /dev/zero":     {"verify", "--jwks-file", "/dev/zero", "--issuer", "https://issuer.example", hardFakeToken},
		"--client-secret-file fifo": {"token", "client-credentials", "--no-cache", "--client-id", "c", "--token-url", "https://127.0.0.1:9/oauth2/token", "--client-secret-file", fifo},
		"--temporary-password-file": {"user", "create", "alice", "--user-pool-id", "us-east-1_Fifo", "--endpoint-url", "http://127.0.0.1:9", "--temporary-password-file", fifo},
		"call -d @fifo":             {"call", "--token", hardFakeToken, "-d", "@" + fifo, "http://127.0.0.1:9/x"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd, stdout, stderr := hardCommand(t, ctx, env, "", args...)
			r := hardWait(t, cmd, cmd.Run(), stdout, stderr)
			if ctx.Err() != nil {
				t.Fatalf("hung on the file\n%s", r)
			}
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r)
			}
			hardOneLine(t, r, `not a regular file|is not a|no such`)
		})
	}
}

// TestSecretInTheWrongPlaceNotEchoed: a secret typed where its variable's
// name or its file's path belongs is never printed back; secrets of 1 to 3
// characters are refused at input, with a message saying why.
func TestSecretInTheWrongPlaceNotEchoed(t *testing.T) {
	dir := hardIsolate(t)
	cfg := filepath.Join(dir, "config.toml")
	const notAName = "Zq9-s3cr3t/value+xyz" // what `env:$DEMO_CLIENT_SECRET` expands to
	const nameLike = "Zq9s3cr3tValueXYZ"    // a secret that happens to look like a name
	env := map[string]string{"COGTOOL_CONFIG": cfg}
	run := func(t *testing.T, e map[string]string, stdin string, args ...string) hardResult {
		t.Helper()
		m := map[string]string{}
		for k, v := range env {
			m[k] = v
		}
		for k, v := range e {
			m[k] = v
		}
		r := hardInProcess(t, m, stdin, args...)
		for _, s := range []string{notAName, nameLike} {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("the secret was printed:\n%s", r)
			}
		}
		return r
	}

	r := run(t, nil, "", "config", "set", "client_secret", "env:"+notAName)
	if r.code != 2 {
		t.Fatalf("config set env:<not a name>: exit %d, want 2\n%s", r.code, r)
	}
	hardOneLine(t, r, `needs a variable name`)

	if r := run(t, nil, "", "config", "set", "client_secret", "env:"+nameLike); r.code != 0 {
		t.Fatalf("config set env:NAME: exit %d\n%s", r.code, r)
	}
	cc := []string{"token", "client-credentials", "--no-cache", "--client-id", "c", "--token-url", "https://127.0.0.1:9/oauth2/token"}
	r = run(t, nil, "", cc...)
	if r.code != 2 {
		t.Fatalf("unset variable: exit %d, want 2\n%s", r.code, r)
	}
	hardOneLine(t, r, `the variable named in the profile's client_secret is not set`)

	if r := run(t, nil, "", "config", "set", "client_secret", "file:"+filepath.Join(dir, notAName)); r.code != 0 {
		t.Fatalf("config set file:PATH: exit %d\n%s", r.code, r)
	}
	r = run(t, nil, "", cc...)
	if r.code != 2 {
		t.Fatalf("missing file: exit %d, want 2\n%s", r.code, r)
	}
	hardOneLine(t, r, `read client secret file: no such file`)

	r = run(t, nil, "", append(cc, "--client-secret-file", notAName)...)
	if r.code != 2 {
		t.Fatalf("--client-secret-file <secret>: exit %d, want 2\n%s", r.code, r)
	}
	hardOneLine(t, r, `read client secret file: no such file`)

	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"client secret", map[string]string{"COGTOOL_CLIENT_SECRET": "abc"}, cc, `the client secret is 3 characters long`},
		{"password", map[string]string{"COGTOOL_PASSWORD": "p1"}, []string{"token", "password", "--no-cache", "--client-id", "c", "--username", "u",
			"--user-pool-id", "us-east-1_Short", "--endpoint-url", "http://127.0.0.1:9"}, `the password is 2 characters long`},
	} {
		r := hardInProcess(t, c.env, "", c.args...)
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", c.name, r.code, r)
			continue
		}
		hardOneLine(t, r, c.want)
	}
}

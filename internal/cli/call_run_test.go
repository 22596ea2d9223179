package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
)

// runAPI is the protected API that call meets: /weatherforecast for a
// Bearer token, /admin refused (403), /items echoing a POST, anything
// without a token 401.
func runAPI(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // no clock in goldens
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer eyJ") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/weatherforecast":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "req-0001")
			w.Write([]byte(`[{"date":"2030-01-02","temperatureC":21,"summary":"Mild"},{"date":"2030-01-03","temperatureC":-3,"summary":"Freezing"}]`))
		case "/admin":
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte("forbidden\n"))
		case "/items":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"method":"` + r.Method + `","accept":"` + r.Header.Get("Accept") + `","received":` + string(b) + `}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCallRunTable: call with a given token or the profile's flow (the
// strict fake through the token cache); the body on stdout, pretty JSON on
// a terminal and as sent on a pipe; the status line on stderr; exit 6 for
// a status that was not expected. The options come from the argv a user
// types (their private fields are the constructor's), the run from callRun.
func TestCallRunTable(t *testing.T) {
	tok := runAccessToken(t, runIssuer)
	tests := []struct {
		name string
		args []string // after the URL's host is known: {API} is replaced
		flow bool     // the token comes from the profile's password flow
	}{
		{name: "get", args: []string{"{API}/weatherforecast", "--token", tok}},
		{name: "include", args: []string{"{API}/weatherforecast", "--token", tok, "-i"}},
		{name: "verbose", args: []string{"{API}/weatherforecast", "--token", tok, "-v"}},
		{name: "post-json", args: []string{"POST", "{API}/items", "--token", tok, "--json", "-d", `{"name":"x"}`}},
		{name: "forbidden", args: []string{"{API}/admin", "--token", tok}},
		{name: "forbidden-expected", args: []string{"{API}/admin", "--token", tok, "--expect-status", "403"}},
		{name: "not-a-token", args: []string{"{API}/weatherforecast", "--token", "opaque"}},
		{name: "plain-http-elsewhere", args: []string{"http://api.example.com/weatherforecast", "--token", tok}},
		{name: "flow", args: []string{"{API}/weatherforecast"}, flow: true},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				api := runAPI(t)
				r := newRunIO(tty)
				s := &Settings{Timeout: 10 * time.Second}
				f := r.factory(s)
				args := make([]string, len(tt.args))
				for i, a := range tt.args {
					args[i] = strings.ReplaceAll(a, "{API}", api.URL)
				}
				var opts *callOptions
				if err := runCmd(newCallCmd(f, func(o *callOptions) error { opts = o; return nil }), args...); err != nil {
					t.Fatal(err)
				}
				var w *tokenWorld
				if tt.flow {
					w = newTokenWorld(t)
					opts.Sources = w.sources(r, "alice", runPassword)
					opts.Sources.Settings.Flow = "password"
					r.randomIDs, r.randomTokens = true, true
				}
				err := callRun(t.Context(), opts)
				if strings.Contains(r.ErrOut.String(), tok) {
					t.Error("the token was printed on stderr")
				}
				norm := []string{api.URL, "http://api.test", userAgent(), "cogtool/<version>"}
				if w != nil {
					norm = append(norm, w.client.Secret, "<client secret>")
				}
				r.assertGolden(t, "call/"+name, err, norm...)
			})
		}
	}
}

// TestCallSigV4RunTable: call --sigv4 signs with the identity pool's
// credentials (an in-process identity-pool API; a guest identity, or
// alice's from the strict fake's ID token) instead of sending a token.
// The API answers with what it saw of the signature.
func TestCallSigV4RunTable(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		auth := r.Header.Get("Authorization")
		scope, _, _ := strings.Cut(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 Credential="), ",")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"Missing Authentication Token"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"credential":"` + scope + `","amz_date":"` + r.Header.Get("X-Amz-Date") + `","session_token":` +
			map[bool]string{true: "true", false: "false"}[r.Header.Get("X-Amz-Security-Token") == runAWSSession] + `}`))
	}))
	t.Cleanup(api.Close)
	tests := []struct {
		name string
		args []string
		flow bool
	}{
		{name: "guest", args: []string{api.URL + "/items", "--sigv4", "execute-api", "--guest"}},
		{name: "user", args: []string{api.URL + "/items", "--sigv4", "execute-api"}, flow: true},
		{name: "with-token", args: []string{api.URL + "/items", "--sigv4", "execute-api", "--token", runAccessToken(t, runIssuer)}},
		{name: "bad-service", args: []string{api.URL + "/items", "--sigv4", "execute api", "--guest"}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				stub := newAPIStub(t, runIdentityReplies())
				r := newRunIO(tty)
				f := r.factory(&Settings{Timeout: 10 * time.Second, Region: "us-east-1", IdentityPoolID: runIdentityPool, IdentityEndpointURL: stub.URL})
				var opts *callOptions
				if err := runCmd(newCallCmd(f, func(o *callOptions) error { opts = o; return nil }), tt.args...); err != nil {
					t.Fatal(err)
				}
				c := newTokenWorld(t).cache
				opts.Sources.Cache = func() (*cache.Cache, error) { return c, nil }
				norm := []string{api.URL, "http://api.test"}
				if tt.flow {
					w := newTokenWorld(t)
					s := opts.Sources.Settings
					opts.Sources = w.sources(r, "alice", runPassword)
					opts.Sources.Settings.Flow = "password"
					opts.Sources.Settings.IdentityPoolID, opts.Sources.Settings.IdentityEndpointURL = s.IdentityPoolID, s.IdentityEndpointURL
					norm = append(norm, w.pool.ID, "us-east-1_POOL")
					r.randomTokens = true
				}
				err := callRun(t.Context(), opts)
				if strings.Contains(r.Out.String()+r.ErrOut.String(), runAWSSecret) {
					t.Error("the secret access key was printed")
				}
				r.record("identity requests", stub.log())
				r.assertGolden(t, "call-sigv4/"+name, err, norm...)
			})
		}
	}
}

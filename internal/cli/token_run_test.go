package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// tokenWorld is what a token command meets: the strict fake with alice in
// a pool whose app client has a secret, a token cache in a temporary
// directory, and the token endpoint of client credentials.
type tokenWorld struct {
	srv    *strict.Server
	pool   *strict.Pool
	client *strict.AppClient
	cache  *cache.Cache
	oauth  *httptest.Server // /oauth2/token, as the hosted domain serves it
}

const runPassword = "Corr3ct-horse!"

func newTokenWorld(t *testing.T) *tokenWorld {
	t.Helper()
	// The machine's clock, not runNow: the flows take a token's expiry
	// from it (runIO.wallClock).
	srv, err := strict.New(strict.Options{Key: runKey()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	pool, err := srv.AddPool(strict.PoolConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := pool.AddClient(strict.ClientConfig{GenerateSecret: true,
		ExplicitAuthFlows: []string{strict.AllowUserPasswordAuth, strict.AllowUserSRPAuth, strict.AllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.AddUser(strict.UserConfig{Username: "alice", Email: "alice@example.com", Password: runPassword}); err != nil {
		t.Fatal(err)
	}
	w := &tokenWorld{srv: srv, pool: pool, client: c, cache: cache.New(filepath.Join(t.TempDir(), "cogtool"))}
	// Client credentials (RFC 6749 section 4.4) with the secret in Basic
	// authorization, answered with an access token shaped like Cognito's.
	now := time.Now().Unix()
	cc := signRun(t, fmt.Sprintf(`{"sub":"ccclient","token_use":"access","scope":"api/read","auth_time":%d,"iss":%q,`+
		`"exp":%d,"iat":%d,"version":2,"jti":"0d0e0f10-aaaa-4bbb-8ccc-dddd00000005","client_id":"ccclient"}`, now, runIssuer, now+3600, now))
	w.oauth = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ccclient:cc-secret-value"))
		rw.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path != "/oauth2/token" || r.Method != http.MethodPost:
			rw.WriteHeader(http.StatusNotFound)
		case r.Header.Get("Authorization") != want:
			rw.WriteHeader(http.StatusBadRequest)
			rw.Write([]byte(`{"error":"invalid_client"}`))
		case r.FormValue("grant_type") != "client_credentials" || r.FormValue("scope") != "api/read":
			rw.WriteHeader(http.StatusBadRequest)
			rw.Write([]byte(`{"error":"invalid_request"}`))
		default:
			rw.Write([]byte(`{"access_token":"` + cc + `","expires_in":3600,"token_type":"Bearer"}`))
		}
	}))
	t.Cleanup(w.oauth.Close)
	return w
}

// sources is the token-source constructor a command would hold, for the
// world's pool and client as user (the factory's, with the cache, the
// secret and the password given here).
func (w *tokenWorld) sources(r *runIO, user, password string) *tokenSources {
	s := &Settings{Region: "us-east-1", UserPoolID: w.pool.ID, ClientID: w.client.ID, EndpointURL: w.srv.URL,
		Username: user, Timeout: 10 * time.Second}
	f := r.factory(s)
	f.Now = time.Now
	ts := f.tokenSources()
	ts.Cache = func() (*cache.Cache, error) { return w.cache, nil }
	ts.AppSecret = func() (string, error) { return w.client.Secret, nil }
	ts.Getenv = func(k string) string {
		if k == "COGTOOL_PASSWORD" {
			return password
		}
		return ""
	}
	ts.ReadPassword = func(bool, string) (string, error) {
		if password == "" {
			return "", exit.Usagef("no password: pipe it with --password-stdin or set $COGTOOL_PASSWORD")
		}
		return password, nil
	}
	return ts
}

// tokenCase is one case of a token command's run table.
type tokenCase struct {
	name     string
	output   string // -o as given; "" is auto (text on a terminal, the token on a pipe)
	user     string // default alice
	password string
	signedIn bool // alice signed in with the password flow before the run
	run      func(context.Context, *tokenWorld, tokenDeps) error
}

func runTokenTable(t *testing.T, cmd string, cases []tokenCase) {
	t.Helper()
	for _, c := range cases {
		for _, tty := range []bool{true, false} {
			name := c.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				w := newTokenWorld(t)
				user := c.user
				if user == "" {
					user = "alice"
				}
				if c.signedIn {
					pre := newRunIO(false)
					d := tokenDeps{IO: pre.IO, Output: "json", Now: time.Now, Sources: w.sources(pre, "alice", runPassword)}
					if err := tokenGetRun(t.Context(), &tokenGetOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute},
						Flow: flowInput{Flow: "password", AuthFlow: "password", Asked: true}}); err != nil {
						t.Fatalf("sign in first: %v", err)
					}
				}
				r := newRunIO(tty)
				r.randomIDs, r.randomTokens, r.machine, r.wallClock = true, true, "token", true
				d := tokenDeps{IO: r.IO, Output: resolveOutput(r.IO, c.output, "token"), Now: time.Now, Sources: w.sources(r, user, c.password)}
				err := c.run(t.Context(), w, d)
				if c.output == "" {
					r.check(t, cmd+"/"+name, err, w.pool.ID, "us-east-1_POOL", w.client.ID, "runclient", w.oauth.URL, "https://runtables.auth.us-east-1.amazoncognito.com",
						w.client.Secret, "<client secret>")
				} else {
					r.assertGolden(t, cmd+"/"+name, err, w.pool.ID, "us-east-1_POOL", w.client.ID, "runclient", w.oauth.URL, "https://runtables.auth.us-east-1.amazoncognito.com",
						w.client.Secret, "<client secret>")
				}
			})
		}
	}
}

// answerFactory is the factory an answerer reads flags, variables and
// prompts through, on the run's streams and settings.
func answerFactory(d tokenDeps) *Factory {
	return &Factory{IO: d.IO, Getenv: d.Sources.Getenv, Now: d.Now, Settings: d.Sources.Settings}
}

// signIn runs a sign-in flow command (password, srp) with default flags.
func signIn(flow string) func(context.Context, *tokenWorld, tokenDeps) error {
	return signInWhich(flow, "access")
}

func signInWhich(flow, which string) func(context.Context, *tokenWorld, tokenDeps) error {
	return func(ctx context.Context, w *tokenWorld, d tokenDeps) error {
		return tokenGetRun(ctx, &tokenGetOptions{tokenDeps: d, Tokens: tokenFlags{Which: which, MinTTL: time.Minute},
			Flow: flowInput{Flow: flow, AuthFlow: flow, PasswordStdin: true, Asked: true, Answer: newAnswerer(answerFactory(d))}})
	}
}

// TestTokenPasswordRunTable: USER_PASSWORD_AUTH against the strict fake
// (SECRET_HASH checked), through the token cache.
func TestTokenPasswordRunTable(t *testing.T) {
	runTokenTable(t, "token-password", []tokenCase{
		{name: "fetched", password: runPassword, run: signIn("password")},
		{name: "cached", password: runPassword, signedIn: true, run: signIn("password")},
		{name: "json", output: "json", password: runPassword, run: signIn("password")},
		{name: "env", output: "env", password: runPassword, run: signIn("password")},
		{name: "which-id", output: "token", password: runPassword, run: signInWhich("password", "id")},
		{name: "wrong-password", password: "Wr0ng-horse!", run: signIn("password")},
		{name: "no-such-user", user: "bob", password: runPassword, run: signIn("password")},
		{name: "no-password", run: signIn("password")},
	})
}

// TestTokenSRPRunTable: USER_SRP_AUTH and PASSWORD_VERIFIER against the
// strict fake, which checks the SRP proof.
func TestTokenSRPRunTable(t *testing.T) {
	runTokenTable(t, "token-srp", []tokenCase{
		{name: "fetched", password: runPassword, run: signIn("srp")},
		{name: "wrong-password", password: "Wr0ng-horse!", run: signIn("srp")},
	})
}

// TestTokenClientCredentialsRunTable: the client_credentials grant at an
// in-process /oauth2/token.
func TestTokenClientCredentialsRunTable(t *testing.T) {
	run := func(secret string) func(context.Context, *tokenWorld, tokenDeps) error {
		return func(ctx context.Context, w *tokenWorld, d tokenDeps) error {
			s := d.Sources.Settings
			s.ClientID, s.TokenURL, s.Domain, s.Scopes = "ccclient", w.oauth.URL+"/oauth2/token", w.oauth.URL, []string{"api/read"}
			d.Sources.AppSecret = func() (string, error) { return secret, nil }
			return tokenGetRun(ctx, &tokenGetOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute},
				Flow: flowInput{Flow: "client-credentials", Asked: true}})
		}
	}
	runTokenTable(t, "token-client-credentials", []tokenCase{
		{name: "fetched", run: run("cc-secret-value")},
		{name: "json", output: "json", run: run("cc-secret-value")},
		{name: "wrong-secret", run: run("not-the-secret")},
	})
}

// TestTokenRefreshRunTable: GetTokensFromRefreshToken with the cached
// refresh token (the strict fake rotates nothing by default).
func TestTokenRefreshRunTable(t *testing.T) {
	run := func(file string) func(context.Context, *tokenWorld, tokenDeps) error {
		return func(ctx context.Context, w *tokenWorld, d tokenDeps) error {
			d.Sources.ReadRefreshToken = func(string) (string, error) { return runRefreshToken(), nil }
			return tokenRefreshRun(ctx, &tokenRefreshOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute}, File: file})
		}
	}
	runTokenTable(t, "token-refresh", []tokenCase{
		{name: "cached", signedIn: true, run: run("")},
		{name: "json", output: "json", signedIn: true, run: run("")},
		{name: "not-signed-in", run: run("")},
		{name: "unknown-token", run: run("refresh.jwe")},
	})
}

// TestTokenRevokeRunTable: RevokeToken at an in-process user-pool API
// (the strict fake does not serve it), with a refresh token from a file;
// without one, the cached token of the user (none here: the cache is keyed
// by the API endpoint, and this one has served no sign-in).
func TestTokenRevokeRunTable(t *testing.T) {
	run := func(reply, file string) func(context.Context, *tokenWorld, tokenDeps) error {
		return func(ctx context.Context, w *tokenWorld, d tokenDeps) error {
			stub := newAPIStub(t, map[string]string{"RevokeToken": reply})
			d.Sources.Settings.EndpointURL = stub.URL
			d.Sources.ReadRefreshToken = func(string) (string, error) { return runRefreshToken(), nil }
			err := tokenRevokeRun(ctx, &tokenRevokeOptions{IO: d.IO, Sources: d.Sources, File: file})
			if log := stub.log(); log != "" {
				d.IO.ErrOut.Write([]byte("(sent) " + log))
			}
			return err
		}
	}
	runTokenTable(t, "token-revoke", []tokenCase{
		{name: "file", run: run(`{}`, "refresh.jwe")},
		{name: "refused", run: run("!UnauthorizedException Token revocation is not enabled for this app client.", "refresh.jwe")},
		{name: "not-signed-in", run: run(`{}`, "")},
	})
}

// TestTokenRespondRunTable: with no challenge saved, respond says how one
// is saved.
func TestTokenRespondRunTable(t *testing.T) {
	run := func(ctx context.Context, w *tokenWorld, d tokenDeps) error {
		return tokenRespondRun(ctx, &tokenRespondOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute},
			Answer: newAnswerer(answerFactory(d))})
	}
	runTokenTable(t, "token-respond", []tokenCase{
		{name: "nothing-pending", run: run},
	})
}

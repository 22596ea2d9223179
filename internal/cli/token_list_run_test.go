package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
)

// runCache returns a token cache in a temporary directory holding two
// entries: alice's password-flow tokens (valid, refreshable) and a
// client-credentials token that has expired.
func runCache(t *testing.T) func() (*cache.Cache, error) {
	t.Helper()
	c := cache.New(filepath.Join(t.TempDir(), "cogtool"))
	c.Now = fixedNow
	put := func(k cache.Key, e *cache.Entry) {
		t.Helper()
		if err := c.Put(k, e); err != nil {
			t.Fatal(err)
		}
	}
	put(cache.Key{Endpoint: "https://cognito-idp.us-east-1.amazonaws.com", Pool: "us-east-1_RunTables", Client: "runclient", Flow: "password", Username: "alice"},
		&cache.Entry{AccessToken: runAccessToken(t, runIssuer), IDToken: runIDToken(t, runIssuer), RefreshToken: runRefreshToken(),
			TokenType: "Bearer", ExpiresAt: time.Unix(runExp, 0), Username: "alice", ClientID: "runclient", Flow: "password", ObtainedAt: time.Unix(runIat, 0)})
	cc := signRun(t, `{"sub":"ccclient","token_use":"access","scope":"api/read api/write","iss":"`+runIssuer+`","client_id":"ccclient","exp":1893552245,"iat":1893548645}`)
	put(cache.Key{Endpoint: "https://runtables.auth.us-east-1.amazoncognito.com/oauth2/token", Client: "ccclient", Flow: "client-credentials", Scopes: []string{"api/read", "api/write"}},
		&cache.Entry{AccessToken: cc, TokenType: "Bearer", ExpiresAt: runNow.Add(-10 * time.Minute), ClientID: "ccclient",
			Flow: "client-credentials", Scopes: []string{"api/read", "api/write"}, ObtainedAt: runNow.Add(-70 * time.Minute)})
	return func() (*cache.Cache, error) { return c, nil }
}

// emptyCache is a token cache with nothing in it.
func emptyCache(t *testing.T) func() (*cache.Cache, error) {
	c := cache.New(filepath.Join(t.TempDir(), "cogtool"))
	return func() (*cache.Cache, error) { return c, nil }
}

// TestTokenListRun: the cache as a table on a terminal (the current
// profile's entries starred, expiry in local time and relative) and as a
// JSON array on a pipe; never a token.
func TestTokenListRunTable(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cache func(*testing.T) func() (*cache.Cache, error)
	}{
		{"entries", runCache},
		{"empty", emptyCache},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				err := tokenListRun(t.Context(), &tokenListOptions{IO: r.IO, Output: r.output("json"), Now: fixedNow,
					Cache: tt.cache(t), ClientID: "runclient", PoolID: "us-east-1_RunTables"})
				r.check(t, "token-list/"+name, err)
				noTokens(t, r)
			})
		}
	}
}

// noTokens fails when a run printed any part of a token's signature.
func noTokens(t *testing.T, r *runIO) {
	t.Helper()
	out := r.Out.String() + r.ErrOut.String()
	for _, tok := range []string{runAccessToken(t, runIssuer), runIDToken(t, runIssuer), runRefreshToken()} {
		if sig := tok[len(tok)-20:]; strings.Contains(out, sig) {
			t.Errorf("a token was printed:\n%s", out)
		}
	}
}

package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/testpeers/strict"
	"github.com/cogtool/cogtool/internal/verify"
)

// TestVerifyRun: verify against the strict fake's JWKS (or a saved one),
// on a terminal (one line: valid for whom, until when; a rejection is the
// error alone) and on a pipe (the JSON result, also for a rejection).
func TestVerifyRunTable(t *testing.T) {
	_, pool, norm := newStrictRun(t)
	valid := runAccessToken(t, pool.Issuer)
	expired := runAccessTokenAt(t, pool.Issuer, runNow.Add(-2*time.Hour).Unix(), runNow.Add(-time.Hour).Unix())
	otherIssuer := runAccessToken(t, "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_Another")
	jwksFile := filepath.Join(t.TempDir(), "jwks.json")
	writeJWKS(t, pool, jwksFile)

	tests := []struct {
		name  string
		opts  verifyOptions
		stdin string
		jwks  bool // the JWKS from the fake over http, not --jwks-file
		typed bool // stdin is a terminal: nothing piped in
	}{
		{name: "access", opts: verifyOptions{Args: []string{valid}, TokenUse: "any"}, jwks: true},
		{name: "id-token-use", opts: verifyOptions{Args: []string{runIDToken(t, pool.Issuer)}, TokenUse: "id", ClientIDs: []string{"runclient"}}, jwks: true},
		{name: "jwks-file", opts: verifyOptions{Args: []string{valid}, TokenUse: "access", JWKSFile: jwksFile, Scopes: []string{"aws.cognito.signin.user.admin"}}},
		{name: "expired", opts: verifyOptions{Args: []string{valid}, TokenUse: "any"}, jwks: true, stdin: ""},
		{name: "wrong-client", opts: verifyOptions{Args: []string{valid}, TokenUse: "access", ClientIDs: []string{"another"}}, jwks: true},
		{name: "not-in-group", opts: verifyOptions{Args: []string{valid}, TokenUse: "access", Groups: []string{"auditors"}}, jwks: true},
		{name: "issuer-mismatch", opts: verifyOptions{Args: []string{otherIssuer}, TokenUse: "any"}, jwks: true},
		{name: "refresh-jwe", opts: verifyOptions{Args: []string{runRefreshToken()}, TokenUse: "any"}, jwks: true},
		{name: "batch", opts: verifyOptions{Batch: true, TokenUse: "any"}, jwks: true,
			stdin: valid + "\n" + expired + "\nnot-a-token\nBearer " + valid + "\n"},
		{name: "batch-from-terminal", opts: verifyOptions{Batch: true, TokenUse: "any"}, jwks: true, typed: true},
		{name: "no-token-from-terminal", opts: verifyOptions{TokenUse: "any"}, jwks: true, typed: true},
	}
	tests[3].opts.Args = []string{expired}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				r.In.WriteString(tt.stdin)
				r.IO.SetStdinTTY(tt.typed)
				s := &Settings{Issuers: []string{pool.Issuer}, Issuer: pool.Issuer}
				if tt.jwks {
					s.JWKSURL = pool.JWKSURL
				}
				s.jwksURLOf = func(string) string { return pool.JWKSURL }
				f := r.factory(s)
				opts := tt.opts
				opts.IO, opts.Output, opts.Settings, opts.Now = f.IO, r.output("json"), f.Settings, f.Now
				opts.HTTPClient, opts.CacheDir, opts.ReadToken = f.RetryingHTTPClient, f.cacheDir, f.Input().readTokenArg
				err := verifyRun(t.Context(), &opts)
				if tt.opts.Batch && !tty && !tt.typed {
					// One JSON object a line, in input order.
					if n := strings.Count(r.Out.String(), "\n"); n != 4 {
						t.Errorf("batch printed %d lines, want 4", n)
					}
				}
				r.check(t, "verify/"+name, err, append(norm, jwksFile, "JWKS_FILE")...)
			})
		}
	}
}

// writeJWKS saves the pool's JWKS to path, as 'cogtool jwks > path' does.
func writeJWKS(t *testing.T, pool *strict.Pool, path string) {
	t.Helper()
	b, err := verify.FetchJWKS(t.Context(), http.DefaultClient, pool.JWKSURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(fmt.Errorf("save JWKS: %w", err))
	}
}

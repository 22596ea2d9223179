package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/users"
)

// TestWhoamiRun: whoami asks GetUser (the user-pool API) about tokens from
// a sign-in flow and the hosted UI's /oauth2/userInfo about tokens from
// login; a table of who and until when on a terminal, JSON on a pipe.
func TestWhoamiRunTable(t *testing.T) {
	access := runAccessToken(t, runIssuer)
	getUser := map[string]string{"GetUser": `{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"5f0c1e2a-1111-4222-8333-444455556666"},` +
		`{"Name":"email","Value":"alice@example.com"},{"Name":"email_verified","Value":"true"}],"UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}`}
	info := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/userInfo" || r.Header.Get("Authorization") != "Bearer "+access {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"sub":"5f0c1e2a-1111-4222-8333-444455556666","username":"alice","email":"alice@example.com","email_verified":"true","identities":[{"providerName":"Google"}]}`))
	}))
	defer info.Close()
	entry := func(flow string) func(context.Context) (*cache.Entry, error) {
		return func(context.Context) (*cache.Entry, error) {
			return &cache.Entry{AccessToken: access, IDToken: runIDToken(t, runIssuer), RefreshToken: runRefreshToken(), Flow: flow,
				ClientID: "runclient", Username: "alice", ExpiresAt: time.Unix(runExp, 0)}, nil
		}
	}
	tests := []struct {
		name    string
		tokens  func(context.Context) (*cache.Entry, error)
		replies map[string]string
	}{
		{"password", entry("password"), getUser},
		{"login", entry("login"), nil},
		{"refused", entry("srp"), map[string]string{"GetUser": "!NotAuthorizedException Access Token has been revoked"}},
		{"not-signed-in", func(context.Context) (*cache.Entry, error) {
			return nil, exit.Usagef("no cached tokens for alice: sign in first with 'cogtool token password'")
		}, nil},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				stub := newAPIStub(t, tt.replies)
				r := newRunIO(tty)
				err := whoamiRun(t.Context(), &whoamiOptions{IO: r.IO, Output: r.output("json"), Now: fixedNow, Profile: "default",
					Tokens: tt.tokens,
					GetUser: func(ctx context.Context, tok string) (*users.Me, error) {
						c, err := cognito.NewUnsigned(cognito.Config{Region: "us-east-1", EndpointURL: stub.URL})
						if err != nil {
							return nil, err
						}
						return users.GetUser(ctx, c, tok)
					},
					UserInfo: func(ctx context.Context, tok string) (map[string]string, error) {
						return userInfo(ctx, info.Client(), info.URL+"/oauth2/userInfo", tok)
					}})
				noTokens(t, r)
				r.record("requests", stub.log())
				r.check(t, "whoami/"+name, err, access, "ACCESS_TOKEN")
			})
		}
	}
}

package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/users"
)

// TestWhoamiLoginTokensUseUserInfo: tokens from the hosted-UI login are
// described by /oauth2/userInfo (no emulator serves it), others by GetUser.
func TestWhoamiLoginTokensUseUserInfo(t *testing.T) {
	access := fakeJWT(map[string]any{"sub": "s-1", "username": "bob", "cognito:groups": []string{"admins"}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/userInfo" || r.Header.Get("Authorization") != "Bearer "+access {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"sub":"s-1","username":"bob","email":"bob@example.com","email_verified":"true"}`))
	}))
	defer srv.Close()
	ios, _, out, _ := iostreams.Test()
	opts := &whoamiOptions{IO: ios, Output: "text", Now: time.Now, Profile: "web",
		Tokens: func(context.Context) (*cache.Entry, error) {
			return &cache.Entry{AccessToken: access, Flow: "login", ClientID: "c", ExpiresAt: time.Now().Add(time.Hour)}, nil
		},
		GetUser: func(context.Context, string) (*users.Me, error) {
			t.Fatal("GetUser called for login tokens")
			return nil, nil
		},
		UserInfo: func(ctx context.Context, tok string) (map[string]string, error) {
			return userInfo(ctx, srv.Client(), srv.URL+"/oauth2/userInfo", tok)
		}}
	if err := whoamiRun(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"username:    bob", "sub:         s-1", "groups:      admins", "flow:        login", "email           bob@example.com"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), access) {
		t.Error("the access token was printed")
	}
	_, err := userInfo(t.Context(), srv.Client(), srv.URL+"/oauth2/userInfo", "wrong")
	if exit.CodeOf(err) != exit.Auth {
		t.Fatalf("refused token: err = %v, want exit 4", err)
	}
}

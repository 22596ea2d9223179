package verify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// TestRemoteNeverFollowsRedirects: a JWKS URL that redirects to another
// JWKS (an attacker's keys) is a fetch failure, whatever client the caller
// gave, http.DefaultClient included; nothing is cached.
func TestRemoteNeverFollowsRedirects(t *testing.T) {
	_, attacker, _ := keys(t)
	evil := newJWKSServer(t, jwksOf(jwkJSON(testKid, &attacker.PublicKey)))
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.url(), http.StatusFound)
	}))
	defer src.Close()
	for _, client := range []*http.Client{nil, {Timeout: time.Minute}} {
		dir := t.TempDir()
		r, err := NewRemote(src.URL+"/pool/.well-known/jwks.json", client, dir)
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Key(context.Background(), testKid)
		if exit.CodeOf(err) != exit.Network || !strings.Contains(err.Error(), "not followed") {
			t.Errorf("Key: err = %v, want a refused redirect (exit 5)", err)
		}
		if _, err := FetchJWKS(context.Background(), client, src.URL+"/jwks"); err == nil {
			t.Error("FetchJWKS followed the redirect")
		}
	}
	if n := evil.requests.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
}

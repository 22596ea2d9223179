package tokens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A cached token answers only for the credentials that obtained it: a
// different client secret never gets it, nor is it refreshed for them.
func TestCachedTokenAnswersOnlyForItsSecret(t *testing.T) {
	h := newHarness(t)
	get(t, h.source(ClientCredentials), Fetched)
	get(t, h.source(ClientCredentials), FromCache)

	rotated := h.source(ClientCredentials)
	rotated.Params.ClientSecret = "another-secret"
	get(t, rotated, Fetched) // the fake accepts any secret; the point is the request
	if n, _, _ := h.idp.counts(); n != 2 {
		t.Fatalf("%d token requests, want 2: the other secret must not get the cached token", n)
	}
	// The entry now answers for the new secret, and no longer for the old.
	get(t, rotated, FromCache)
	get(t, h.source(ClientCredentials), Fetched)

	// Nothing on disk holds the secret.
	err := filepath.Walk(h.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && (strings.Contains(string(b), "s3cret-value") || strings.Contains(string(b), "another-secret")) {
			t.Errorf("%s holds a client secret", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A password given without a prompt must be the one that obtained the
// cached token; a password that would be prompted for is not asked while
// a cached token serves.
func TestCachedTokenAnswersOnlyForItsPassword(t *testing.T) {
	h := newHarness(t)
	given := func(pw string) *Source {
		s := h.source(Password)
		s.Inputs.Password = func(context.Context) (string, error) { h.passwords.Add(1); return pw, nil }
		s.Inputs.GivenPassword = func() (string, error) { return pw, nil }
		return s
	}
	get(t, given("pw-1234"), Fetched)
	get(t, given("pw-1234"), FromCache)

	_, flows, _ := h.idp.counts()
	before := len(flows)
	if _, err := given("wrong-password").Get(context.Background()); err == nil || !strings.Contains(err.Error(), "NotAuthorizedException") {
		t.Fatalf("a wrong password with a cached token: err = %v, want Cognito's refusal", err)
	}
	_, flows, _ = h.idp.counts()
	if len(flows) != before+1 || flows[len(flows)-1] != "USER_PASSWORD_AUTH" {
		t.Fatalf("auth flows %v: a different password must sign in again, not reuse or refresh", flows)
	}

	get(t, given("pw-1234"), FromCache) // the refusal did not touch the entry

	// Not given: reused without reading the password.
	reads := h.passwords.Load()
	prompted := h.source(Password)
	prompted.Inputs.Password = func(context.Context) (string, error) { h.passwords.Add(1); return "typed", nil }
	get(t, prompted, FromCache)
	if h.passwords.Load() != reads {
		t.Errorf("the password was read although a cached token served")
	}

	// The password is stored only as a salted, slow hash.
	entries, _ := filepath.Glob(filepath.Join(h.dir, "*.json"))
	for _, p := range entries {
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "pw-1234") {
			t.Errorf("%s holds the password", p)
		}
		if !strings.Contains(string(b), `"binding": "s=`) || !strings.Contains(string(b), ";p=") {
			t.Errorf("%s has no secret and password binding:\n%s", p, b)
		}
	}
}

package verify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// jwksServer serves a JWKS that tests can swap, counts requests, and can
// be told to fail.
type jwksServer struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	body     []byte
	status   int
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	s := &jwksServer{body: body, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.URL.Path != "/pool/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		w.Write(s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) url() string { return s.URL + "/pool/.well-known/jwks.json" }

func (s *jwksServer) set(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newRemote(t *testing.T, url, dir string, c *clock) *Remote {
	t.Helper()
	r, err := NewRemote(url, nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	r.Now = c.now
	return r
}

func verifierFor(t *testing.T, ks KeySource) *Verifier {
	t.Helper()
	v, err := New(ks, Options{Issuers: []string{testIssuer}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tokenUnder(t *testing.T, kid string) string {
	pool, _, rotated := keys(t)
	key := pool
	if kid == "kid-2" {
		key = rotated
	}
	return sign(t, "RS256", key, hdr("kid", kid, "alg", "RS256"), mustJSON(accessClaims()))
}

func TestRemoteDiskCache(t *testing.T) {
	pool, _, _ := keys(t)
	srv := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	dir := filepath.Join(t.TempDir(), "cache")
	c := &clock{t: time.Now()}
	ctx := context.Background()
	tok := goodToken(t)

	v := verifierFor(t, newRemote(t, srv.url(), dir, c))
	for range 5 {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d requests for 5 verifications, want 1", n)
	}

	// The cache file: 0600 in a 0700 directory, no temp files left.
	jdir := filepath.Join(dir, "jwks")
	entries, err := os.ReadDir(jdir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".json") || len(entries[0].Name()) != 64+5 {
		t.Fatalf("cache dir holds %v", entries)
	}
	if fi, _ := os.Stat(jdir); fi.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v, want 0700", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Join(jdir, entries[0].Name())); fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", fi.Mode().Perm())
	}

	// A second process with the same cache dir makes no request.
	v2 := verifierFor(t, newRemote(t, srv.url(), dir, c))
	if _, err := v2.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("second process made a request (%d total)", n)
	}

	// After 24h the copy is refetched.
	c.add(MaxAge + time.Minute)
	v3 := verifierFor(t, newRemote(t, srv.url(), dir, c))
	if _, err := v3.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d requests after 24h, want 2", n)
	}
	// ... and the long-lived first verifier refreshes too, once.
	for range 3 {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2: the first verifier should pick up the fresh disk copy", n)
	}
}

func TestRemoteUnknownKidRateLimit(t *testing.T) {
	pool, _, rotated := keys(t)
	srv := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	dir := t.TempDir()
	c := &clock{t: time.Now()}
	ctx := context.Background()
	v := verifierFor(t, newRemote(t, srv.url(), dir, c))
	unknown := tokenUnder(t, "kid-2")

	// First use fetches; the unknown kid right after is within 10s of that.
	_, err := v.Verify(ctx, unknown)
	if exit.CodeOf(err) != exit.Rejected || !strings.Contains(err.Error(), `unknown kid "kid-2"`) {
		t.Fatalf("err = %v", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	// A burst of unknown kids inside the window: no request.
	for i := range 50 {
		c.add(100 * time.Millisecond)
		if _, err := v.Verify(ctx, tokenUnder(t, "random-"+string(rune('a'+i%26)))); exit.CodeOf(err) != exit.Rejected {
			t.Fatalf("err = %v", err)
		}
	}
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("%d requests after a burst within 10s, want 1", n)
	}
	// Past the window: one refetch, then quiet again.
	c.add(6 * time.Second)
	for range 5 {
		v.Verify(ctx, unknown)
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	// Key rotation: the new kid is found by the next allowed refetch.
	srv.set(http.StatusOK, jwksOf(jwkJSON(testKid, &pool.PublicKey), jwkJSON("kid-2", &rotated.PublicKey)))
	c.add(MinRefetch)
	if _, err := v.Verify(ctx, unknown); err != nil {
		t.Fatalf("rotated key not picked up: %v", err)
	}
	if n := srv.requests.Load(); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
	// The old kid still works without a request.
	if _, err := v.Verify(ctx, goodToken(t)); err != nil {
		t.Fatal(err)
	}

	// Another process sharing the cache honours the on-disk fetch time.
	c.add(2 * time.Second)
	other := verifierFor(t, newRemote(t, srv.url(), dir, c))
	if _, err := other.Verify(ctx, tokenUnder(t, "kid-3")); exit.CodeOf(err) != exit.Rejected {
		t.Fatalf("err = %v", err)
	}
	if n := srv.requests.Load(); n != 3 {
		t.Fatalf("%d requests: a second process refetched within 10s of the first's fetch", n)
	}
}

func TestRemotePlainHTTPRefused(t *testing.T) {
	var requests atomic.Int32
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		return nil, errors.New("no network in this test")
	})}
	for _, u := range []string{"http://cognito-idp.us-east-1.amazonaws.com/pool/.well-known/jwks.json", "http://10.0.0.1/jwks.json", "ftp://x/jwks", "not a url"} {
		if _, err := NewRemote(u, client, t.TempDir()); exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), "JWKS URL") {
			t.Errorf("NewRemote(%q) = %v, want code 2 naming the JWKS URL", u, err)
		}
		if _, err := FetchJWKS(context.Background(), client, u); exit.CodeOf(err) != exit.Usage {
			t.Errorf("FetchJWKS(%q) = %v, want code 2", u, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests made", n)
	}
	// Loopback over http is allowed.
	if _, err := NewRemote("http://localhost:9229/pool/.well-known/jwks.json", client, ""); err != nil {
		t.Errorf("loopback refused: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRemoteOutageWithCache(t *testing.T) {
	pool, _, _ := keys(t)
	srv := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	dir := t.TempDir()
	c := &clock{t: time.Now()}
	ctx := context.Background()
	tok := goodToken(t)
	if _, err := verifierFor(t, newRemote(t, srv.url(), dir, c)).Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	url := srv.url()

	// The service answers 503, then is gone; a stale cache carries on.
	srv.set(http.StatusServiceUnavailable, []byte("down"))
	c.add(MaxAge + time.Hour)
	v := verifierFor(t, newRemote(t, url, dir, c))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("stale cache not used during a 503: %v", err)
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2 (one refetch attempt)", n)
	}
	srv.Close()
	c.add(MinRefetch)
	v = verifierFor(t, newRemote(t, url, dir, c))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("stale cache not used with the service gone: %v", err)
	}
	c.add(MinRefetch)
	_, err := v.Verify(ctx, tokenUnder(t, "kid-2"))
	if exit.CodeOf(err) != exit.Rejected || !strings.Contains(err.Error(), `unknown kid "kid-2" (JWKS refetch failed: fetch JWKS `+url) {
		t.Errorf("unknown kid during an outage: %v", err)
	}
}

func TestRemoteOutageWithoutCache(t *testing.T) {
	pool, _, _ := keys(t)
	good := jwksOf(jwkJSON(testKid, &pool.PublicKey))
	srv := newJWKSServer(t, good)
	ctx := context.Background()
	c := &clock{t: time.Now()}
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		want   string
	}{
		{"5xx", http.StatusBadGateway, []byte("<html>bad gateway</html>"), "HTTP 502 Bad Gateway"},
		{"404", http.StatusNotFound, []byte("nope"), "HTTP 404 Not Found"},
		{"not JSON", http.StatusOK, []byte("<html>login page</html>"), "not a JWKS"},
		{"no keys", http.StatusOK, []byte(`{"keys":[]}`), "no RS256 signing key"},
		{"too big", http.StatusOK, []byte(`{"keys":[],"pad":"` + strings.Repeat("x", maxJWKSSize) + `"}`), "reply over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.set(tc.status, tc.body)
			v := verifierFor(t, newRemote(t, srv.url(), t.TempDir(), c))
			res, err := v.Verify(ctx, goodToken(t))
			if exit.CodeOf(err) != exit.Network || !strings.Contains(err.Error(), srv.url()) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want code 5 naming %s and %q", err, srv.url(), tc.want)
			}
			if res == nil || res.Valid || res.Reason == "" {
				t.Errorf("result %+v", res)
			}
			if _, err := FetchJWKS(ctx, nil, srv.url()); exit.CodeOf(err) != exit.Network {
				t.Errorf("FetchJWKS: %v, want code 5", err)
			}
		})
	}

	srv.Close()
	r := newRemote(t, srv.url(), t.TempDir(), c)
	if err := load(ctx, r); exit.CodeOf(err) != exit.Network || !strings.Contains(err.Error(), "fetch JWKS "+srv.url()) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("connection refused: %v", err)
	}
	// A failing source is not hammered: the next call inside 10s reuses the error.
	if err := load(ctx, r); exit.CodeOf(err) != exit.Network {
		t.Errorf("second Load: %v", err)
	}
}

func TestFetchJWKS(t *testing.T) {
	pool, _, _ := keys(t)
	body := jwksOf(jwkJSON(testKid, &pool.PublicKey))
	srv := newJWKSServer(t, body)
	got, err := FetchJWKS(context.Background(), srv.Client(), srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(body) {
		t.Errorf("FetchJWKS = %s, want the served bytes", got)
	}
}

func TestNewKeySet(t *testing.T) {
	pool, attacker, _ := keys(t)
	ec := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
	rs512 := jwkJSON("rs512", &attacker.PublicKey)
	rs512["alg"] = "RS512"
	enc := jwkJSON("enc", &attacker.PublicKey)
	enc["use"] = "enc"
	noKid := jwkJSON("", &attacker.PublicKey)
	delete(noKid, "kid")
	noAlg := jwkJSON("noalg", &pool.PublicKey)
	delete(noAlg, "alg")
	delete(noAlg, "use")
	junk := map[string]any{"kty": "RSA", "kid": "junk", "n": "!!", "e": "AQAB"}
	dup := jwkJSON(testKid, &attacker.PublicKey)

	ks, err := NewKeySet(jwksOf(ec, rs512, enc, noKid, junk, jwkJSON(testKid, &pool.PublicKey), dup, noAlg))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ks.keys); n != 2 {
		t.Errorf("%d usable keys, want 2 (kid-1 and noalg)", n)
	}
	for _, kid := range []string{"ec", "rs512", "enc", "junk"} {
		if _, err := ks.Key(context.Background(), kid); exit.CodeOf(err) != exit.Rejected {
			t.Errorf("kid %s: %v, want skipped", kid, err)
		}
	}
	k, err := ks.Key(context.Background(), testKid)
	if err != nil || !k.Equal(&pool.PublicKey) {
		t.Errorf("kid-1 is not the first key of that kid: %v", err)
	}

	for _, bad := range []string{``, `[]`, `{"keys":{}}`, `{}`, `{"keys":[]}`, `{"keys":[` + mustJSON(ec) + `]}`, `null`} {
		if _, err := NewKeySet([]byte(bad)); err == nil {
			t.Errorf("NewKeySet(%s) accepted", bad)
		}
	}
}

func TestLoadKeySetFile(t *testing.T) {
	pool, _, _ := keys(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(path, jwksOf(jwkJSON(testKid, &pool.PublicKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	ks, err := LoadKeySetFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifierFor(t, ks).Verify(context.Background(), goodToken(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeySetFile(filepath.Join(dir, "missing.json")); exit.CodeOf(err) != exit.Usage {
		t.Errorf("missing file: %v, want code 2", err)
	}
	os.WriteFile(path, []byte("not json"), 0o600)
	if _, err := LoadKeySetFile(path); exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), path) {
		t.Errorf("bad file: %v, want code 2 naming the file", err)
	}
}

func TestRemoteCancelledFetchIsNotCached(t *testing.T) {
	pool, _, _ := keys(t)
	srv := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	r := newRemote(t, srv.url(), "", &clock{t: time.Now()})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := load(ctx, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load with a cancelled context: %v", err)
	}
	// Another caller right after is not refused because the first gave up.
	if err := load(context.Background(), r); err != nil {
		t.Fatalf("Load after a cancelled one: %v", err)
	}
}

// load makes r fetch its key set (from the disk cache or the network) as
// the first Key does, without asking for a kid.
func load(ctx context.Context, r *Remote) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _, err := r.ensure(ctx, "")
	return err
}

package tokens

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/flows"
)

// idp is a fake of the two endpoints a Source talks to: the hosted
// domain's /oauth2/token (client credentials) and the user-pool API
// (InitiateAuth, RevokeToken), counting what each was asked.
type idp struct {
	srv *httptest.Server

	mu          sync.Mutex
	tokenCalls  int      // POST /oauth2/token
	authFlows   []string // InitiateAuth AuthFlow, in order
	revoked     []string // refresh tokens given to RevokeToken
	serial      int      // numbers the tokens handed out
	lifetime    int      // ExpiresIn of the user-pool tokens, seconds
	refreshFail bool     // REFRESH_TOKEN_AUTH answers NotAuthorizedException
	delay       time.Duration
}

func newIDP(t *testing.T) *idp {
	t.Helper()
	f := &idp{lifetime: 3600}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func fakeJWT(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "kid": "k"}) + "." + enc(claims) + ".c2ln"
}

func (f *idp) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.serial++
	n := f.serial
	delay := f.delay
	f.mu.Unlock()
	time.Sleep(delay) // widens the window for a stampede
	if r.URL.Path == "/oauth2/token" {
		f.mu.Lock()
		f.tokenCalls++
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600,"token_type":"Bearer"}`,
			fakeJWT(map[string]any{"sub": "machine", "n": n, "exp": time.Now().Add(time.Hour).Unix()}))
		return
	}
	var body struct {
		AuthFlow       string
		AuthParameters map[string]string
		Token          string
	}
	raw, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(raw, &body)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.") {
	case "InitiateAuth":
		f.mu.Lock()
		f.authFlows = append(f.authFlows, body.AuthFlow)
		fail, life := f.refreshFail, f.lifetime
		f.mu.Unlock()
		res := map[string]any{
			"AccessToken": fakeJWT(map[string]any{"username": "alice-id", "n": n}),
			"IdToken":     fakeJWT(map[string]any{"token_use": "id", "n": n}),
			"ExpiresIn":   life,
			"TokenType":   "Bearer",
		}
		switch body.AuthFlow {
		case "REFRESH_TOKEN_AUTH":
			if fail {
				w.WriteHeader(400)
				io.WriteString(w, `{"__type":"NotAuthorizedException","message":"Refresh Token has been revoked"}`)
				return
			}
		case "USER_PASSWORD_AUTH":
			if body.AuthParameters["PASSWORD"] != "pw-1234" {
				w.WriteHeader(400)
				io.WriteString(w, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`)
				return
			}
			res["RefreshToken"] = fmt.Sprintf("refresh-%d", n)
		}
		json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": res})
	case "RevokeToken":
		f.mu.Lock()
		f.revoked = append(f.revoked, body.Token)
		f.mu.Unlock()
		io.WriteString(w, `{}`)
	default:
		w.WriteHeader(400)
		io.WriteString(w, `{"__type":"InvalidAction","message":"unexpected call"}`)
	}
}

func (f *idp) counts() (tokenCalls int, authFlows []string, revoked []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenCalls, slices.Clone(f.authFlows), slices.Clone(f.revoked)
}

func (f *idp) set(fn func(f *idp)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// harness is a Source's dependencies: the fake, a cache directory and a
// count of password reads.
type harness struct {
	idp       *idp
	dir       string
	passwords atomic.Int32
}

func newHarness(t *testing.T) *harness {
	return &harness{idp: newIDP(t), dir: filepath.Join(t.TempDir(), "cogtool")}
}

// source returns a Source for flow with its own *cache.Cache on the
// harness's directory, as a separate run of the command would have.
func (h *harness) source(flow string) *Source {
	return &Source{
		Params: Params{
			Flow: flow, Region: "us-east-1", EndpointURL: h.idp.srv.URL, UserPoolID: "us-east-1_Pool",
			ClientID: "client-1", Username: "alice", TokenURL: h.idp.srv.URL + "/oauth2/token",
			ClientSecret: "s3cret-value", Scopes: []string{"api/read"}, MinTTL: time.Minute,
		},
		Inputs: Inputs{Password: func(context.Context) (string, error) {
			h.passwords.Add(1)
			return "pw-1234", nil
		}},
		Cache: cache.New(h.dir),
		IDP: func() (*cognito.Client, error) {
			return cognito.NewUnsigned(cognito.Config{Region: "us-east-1", EndpointURL: h.idp.srv.URL}, noRetrySleep)
		},
	}
}

func noRetrySleep(o *cip.Options) {
	o.Retryer = cognito.NewRetryer(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func get(t *testing.T, s *Source, want string) *Result {
	t.Helper()
	r, err := s.Get(context.Background())
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if r.Source != want {
		t.Fatalf("Source = %q, want %q", r.Source, want)
	}
	return r
}

func TestFreshCachedTokenIsReused(t *testing.T) {
	h := newHarness(t)
	first := get(t, h.source(ClientCredentials), Fetched)
	second := get(t, h.source(ClientCredentials), FromCache)
	if second.AccessToken != first.AccessToken {
		t.Errorf("the cached token was not the one fetched")
	}
	if n, _, _ := h.idp.counts(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestNearExpiryTokenIsRefreshed(t *testing.T) {
	h := newHarness(t)
	h.idp.set(func(f *idp) { f.lifetime = 30 }) // less than MinTTL left at once
	first := get(t, h.source(Password), Fetched)
	second := get(t, h.source(Password), Refreshed)
	if second.AccessToken == first.AccessToken {
		t.Error("the refreshed access token is the old one")
	}
	if second.RefreshToken != first.RefreshToken || second.Username != "alice-id" {
		t.Errorf("refresh lost the refresh token or the user: %+v", second.Entry)
	}
	_, flowsSeen, _ := h.idp.counts()
	if want := []string{"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}; !slices.Equal(flowsSeen, want) {
		t.Errorf("calls %v, want %v", flowsSeen, want)
	}
	if n := h.passwords.Load(); n != 1 {
		t.Errorf("the password was read %d times, want 1", n)
	}
	if e, _ := cache.New(h.dir).Get(h.source(Password).Key()); e == nil || e.AccessToken != second.AccessToken {
		t.Error("the refreshed tokens were not cached")
	}
}

func TestRefreshFailureFallsBackToTheFlow(t *testing.T) {
	h := newHarness(t)
	h.idp.set(func(f *idp) { f.lifetime = 30; f.refreshFail = true })
	get(t, h.source(Password), Fetched)
	get(t, h.source(Password), Fetched)
	_, flowsSeen, _ := h.idp.counts()
	if want := []string{"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_PASSWORD_AUTH"}; !slices.Equal(flowsSeen, want) {
		t.Errorf("calls %v, want %v", flowsSeen, want)
	}
	if n := h.passwords.Load(); n != 2 {
		t.Errorf("the password was read %d times, want 2", n)
	}
}

func TestForceRefetchIgnoresAFreshToken(t *testing.T) {
	h := newHarness(t)
	first := get(t, h.source(ClientCredentials), Fetched)
	r, err := h.source(ClientCredentials).ForceRefetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != Fetched || r.AccessToken == first.AccessToken {
		t.Errorf("ForceRefetch gave %q from %s, want a new fetched token", r.AccessToken, r.Source)
	}
	if n, _, _ := h.idp.counts(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if again := get(t, h.source(ClientCredentials), FromCache); again.AccessToken != r.AccessToken {
		t.Error("the refetched token was not cached")
	}

	// A user flow's forced refetch refreshes instead of asking for the password.
	get(t, h.source(Password), Fetched)
	r, err = h.source(Password).ForceRefetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != Refreshed || h.passwords.Load() != 1 {
		t.Errorf("Source %s, %d password reads; want refreshed and 1", r.Source, h.passwords.Load())
	}
}

func TestNoCacheNeitherReadsNorWrites(t *testing.T) {
	h := newHarness(t)
	for range 2 {
		s := h.source(ClientCredentials)
		s.Cache.NoCache = true
		get(t, s, Fetched)
	}
	if n, _, _ := h.idp.counts(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if _, err := os.Stat(h.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cache directory was created: %v", err)
	}
}

func TestConcurrentGetsFetchOnce(t *testing.T) {
	h := newHarness(t)
	h.idp.set(func(f *idp) { f.delay = 50 * time.Millisecond })
	const n = 8
	results := make([]*Result, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s := h.source(ClientCredentials)
			<-start
			results[i], errs[i] = s.Get(context.Background())
		})
	}
	close(start)
	wg.Wait()
	fetched := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if results[i].AccessToken != results[0].AccessToken {
			t.Errorf("goroutine %d got another token", i)
		}
		if results[i].Source == Fetched {
			fetched++
		}
	}
	if c, _, _ := h.idp.counts(); c != 1 || fetched != 1 {
		t.Errorf("%d token requests, %d results fetched; want 1 and 1", c, fetched)
	}
}

func TestRefreshAndRevokeTheCachedUser(t *testing.T) {
	h := newHarness(t)
	if _, err := h.source(Password).Refresh(context.Background(), ""); !errors.Is(err, ErrNoRefreshToken) {
		t.Fatalf("Refresh with nothing cached: %v, want ErrNoRefreshToken", err)
	}
	if err := h.source(Password).Revoke(context.Background(), ""); !errors.Is(err, ErrNoRefreshToken) {
		t.Fatalf("Revoke with nothing cached: %v, want ErrNoRefreshToken", err)
	}
	first := get(t, h.source(Password), Fetched)

	// token refresh runs with no flow chosen.
	s := h.source("")
	key, e, err := s.CachedUser()
	if err != nil || e == nil || key.Flow != Password {
		t.Fatalf("CachedUser = %+v, %+v, %v", key, e, err)
	}
	r, err := s.Refresh(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != Refreshed || r.AccessToken == first.AccessToken || r.RefreshToken != first.RefreshToken {
		t.Errorf("Refresh = %+v", r)
	}
	if e, _ := cache.New(h.dir).Get(key); e == nil || e.AccessToken != r.AccessToken {
		t.Error("Refresh did not update the cache")
	}

	// A given refresh token is used as is and not cached.
	r2, err := s.Refresh(context.Background(), "refresh-given")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := cache.New(h.dir).Get(key); e == nil || e.AccessToken != r.AccessToken || r2.RefreshToken != "refresh-given" {
		t.Error("a given refresh token changed the cache")
	}

	if err := s.Revoke(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if _, _, revoked := h.idp.counts(); !slices.Equal(revoked, []string{first.RefreshToken}) {
		t.Errorf("revoked %v, want the cached refresh token", revoked)
	}
	if e, _ := cache.New(h.dir).Get(key); e != nil {
		t.Error("the revoked tokens are still cached")
	}
}

func TestKeyAndScopes(t *testing.T) {
	h := newHarness(t)
	if k := h.source(Password).Key(); k.Scopes != nil || k.Username != "alice" || k.Endpoint != h.idp.srv.URL {
		t.Errorf("password key %+v: want no scopes, the user and the API endpoint", k)
	}
	if k := h.source(ClientCredentials).Key(); k.Username != "" || k.Endpoint != h.idp.srv.URL+"/oauth2/token" || !slices.Equal(k.Scopes, []string{"api/read"}) {
		t.Errorf("client-credentials key %+v: want no user, the token URL and the scopes", k)
	}
	s := h.source(Login)
	s.Params.Scopes = nil
	if k := s.Key(); !slices.Equal(k.Scopes, flows.DefaultLoginScopes) {
		t.Errorf("login key scopes %v, want flows.DefaultLoginScopes", k.Scopes)
	}
	s = h.source(Password)
	s.Params.EndpointURL = ""
	if k := s.Key(); k.Endpoint != "cognito-idp.us-east-1" {
		t.Errorf("regional key endpoint %q", k.Endpoint)
	}
	if _, err := h.source("implicit").Get(context.Background()); err == nil {
		t.Error("an unknown flow did not fail")
	}
}

func TestUserTokensNeverSignIn(t *testing.T) {
	h := newHarness(t)
	if _, err := h.source("").User(context.Background()); !errors.Is(err, ErrNoRefreshToken) {
		t.Fatalf("User with nothing cached: %v, want ErrNoRefreshToken", err)
	}
	h.idp.set(func(f *idp) { f.lifetime = 30 })
	first := get(t, h.source(Password), Fetched)
	s := h.source("")
	s.Params.MinTTL = 10 * time.Second
	if r, err := s.User(context.Background()); err != nil || r.Source != FromCache || r.AccessToken != first.AccessToken {
		t.Fatalf("User = %+v, %v; want the cached tokens", r, err)
	}
	s.Params.MinTTL = time.Minute
	r, err := s.User(context.Background())
	if err != nil || r.Source != Refreshed || r.AccessToken == first.AccessToken {
		t.Fatalf("User = %+v, %v; want refreshed tokens", r, err)
	}
	if n := h.passwords.Load(); n != 1 {
		t.Errorf("the password was read %d times, want 1", n)
	}
}

// TestExpiryUsesTheSourceClock: the expiry of the tokens a Source fetches
// or refreshes is computed with Source.Now, not the machine's clock: for
// the client-credentials grant (x/oauth2), the user-pool flows
// (flows.Client) and the hosted-UI refresh at /oauth2/token.
func TestExpiryUsesTheSourceClock(t *testing.T) {
	clock := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	now := func() time.Time { return clock }
	want := clock.Add(time.Hour) // every reply of the fake says expires_in 3600
	for _, flow := range []string{ClientCredentials, Password} {
		h := newHarness(t)
		s := h.source(flow)
		s.Now = now
		if r := get(t, s, Fetched); !r.ExpiresAt.Equal(want) {
			t.Errorf("%s: ExpiresAt = %v, want %v", flow, r.ExpiresAt, want)
		}
	}

	h := newHarness(t)
	s := h.source(Login)
	s.Now, s.Params.Domain = now, h.idp.srv.URL
	c := cache.New(h.dir)
	bk, err := c.BindingKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(s.Key(), &cache.Entry{AccessToken: fakeJWT(map[string]any{"username": "alice-id"}), RefreshToken: "refresh-login",
		ExpiresAt: clock.Add(-time.Minute), Flow: Login, ClientID: s.Params.ClientID, Scopes: s.Key().Scopes,
		Binding: cache.SecretBinding(bk, s.Params.ClientID, s.Params.ClientSecret)}); err != nil {
		t.Fatal(err)
	}
	r, err := s.ForceRefetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != Refreshed || r.Via != "/oauth2/token refresh_token" {
		t.Fatalf("login tokens: Source %q via %q, want a refresh at /oauth2/token", r.Source, r.Via)
	}
	if !r.ExpiresAt.Equal(want) {
		t.Errorf("login refresh: ExpiresAt = %v, want %v", r.ExpiresAt, want)
	}
}

package flows

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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// ---- real peers, started once for the package ----

var peers struct {
	motoOnce, localOnce sync.Once
	moto, local         *testpeers.Peer
	motoErr, localErr   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	peers.moto.Stop() // nil-safe
	peers.local.Stop()
	os.Exit(code)
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// motoPool starts moto once and seeds a fresh pool for the calling test.
func motoPool(t *testing.T) *testpeers.Pool {
	t.Helper()
	peers.motoOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		peers.moto, peers.motoErr = testpeers.StartMoto(ctx)
	})
	testpeers.Need(t, "moto", peers.motoErr)
	pool, err := testpeers.SeedMoto(testCtx(t), peers.moto.URL)
	if err != nil {
		t.Fatalf("seed moto: %v", err)
	}
	return pool
}

// localPool starts cognito-local once and seeds a fresh pool.
func localPool(t *testing.T) *testpeers.Pool {
	t.Helper()
	peers.localOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		peers.local, peers.localErr = testpeers.StartCognitoLocal(ctx, "")
	})
	testpeers.Need(t, "cognito-local", peers.localErr)
	pool, err := testpeers.SeedCognitoLocal(testCtx(t), peers.local.URL, testpeers.CognitoLocalOptions{})
	if err != nil {
		t.Fatalf("seed cognito-local: %v", err)
	}
	return pool
}

func createUser(t *testing.T, pool *testpeers.Pool, username, password string, permanent bool) {
	t.Helper()
	if err := testpeers.CreateUser(testCtx(t), pool.URL, pool.ID, username, password, permanent); err != nil {
		t.Fatal(err)
	}
}

// ---- fakes for unit tests ----

// fastRetries keeps the standard retryer's attempts but not its sleeps.
func fastRetries(o *cip.Options) {
	o.Retryer = cognito.NewRetryer(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func fastClient(endpoint string) *Client {
	return testClient("us-east-1", endpoint, nil, fastRetries)
}

// testClient is NewClient over an unsigned user-pool API client.
func testClient(region, endpoint string, hc *http.Client, optFns ...func(*cip.Options)) *Client {
	idp, err := cognito.NewUnsigned(cognito.Config{Region: region, EndpointURL: endpoint, HTTPClient: hc}, optFns...)
	if err != nil {
		panic(err)
	}
	return NewClient(idp, nil)
}

type fakeCall struct {
	Op     string // InitiateAuth, RespondToAuthChallenge, ...
	Body   map[string]any
	Header http.Header
}

// fakeIDP speaks the user-pool API's JSON 1.1 protocol; reply scripts it.
type fakeIDP struct {
	mu    sync.Mutex
	calls []fakeCall
	srv   *httptest.Server
}

type fakeReply struct {
	status int
	body   any    // marshalled as JSON
	raw    string // sent as is when body is nil
}

func apiError(status int, code, msg string) fakeReply {
	return fakeReply{status: status, body: map[string]string{"__type": code, "message": msg}}
}

func newFakeIDP(t *testing.T, reply func(n int, c fakeCall) fakeReply) *fakeIDP {
	t.Helper()
	f := &fakeIDP{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		c := fakeCall{Op: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService."), Header: r.Header.Clone()}
		if err := json.Unmarshal(raw, &c.Body); err != nil {
			t.Errorf("fake: request body is not JSON: %v", err)
		}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		n := len(f.calls)
		f.mu.Unlock()
		rep := reply(n, c)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		w.WriteHeader(rep.status)
		if rep.body != nil {
			_ = json.NewEncoder(w).Encode(rep.body)
		} else {
			_, _ = io.WriteString(w, rep.raw)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIDP) Calls() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.calls...)
}

// fakeJWT builds an unsigned token with the given claims; flows only peeks.
func fakeJWT(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "kid": "k"}) + "." + enc(claims) + ".c2ln"
}

func authResult(claims map[string]any, expiresIn int) map[string]any {
	r := map[string]any{
		"AccessToken":  fakeJWT(claims),
		"IdToken":      fakeJWT(map[string]any{"token_use": "id"}),
		"RefreshToken": "refresh-opaque",
		"TokenType":    "Bearer",
	}
	if expiresIn > 0 {
		r["ExpiresIn"] = expiresIn
	}
	return map[string]any{"AuthenticationResult": r}
}

func strMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

func wantCode(t *testing.T, err error, code int) *exit.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error with exit code %d, got nil", code)
	}
	var ee *exit.Error
	if !errors.As(err, &ee) {
		t.Fatalf("error %q (%T) carries no exit code; want %d", err, err, code)
	}
	if ee.Code != code {
		t.Fatalf("exit code %d, want %d: %v", ee.Code, code, err)
	}
	return ee
}

// ---- Tokens ----

func TestTokensDerivesExpiryFromAccessTokenWhenExpiresInMissing(t *testing.T) {
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return fakeReply{body: authResult(map[string]any{"exp": exp.Unix(), "username": "internal-id"}, 0)}
	})
	c := fastClient(f.srv.URL)
	now := exp.Add(-90 * time.Minute)
	c.now = func() time.Time { return now }
	tok, err := c.Password(testCtx(t), AuthParams{ClientID: "cid", Username: "alias@example.com", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	if !tok.ExpiresAt.Equal(exp) {
		t.Errorf("ExpiresAt = %v, want %v", tok.ExpiresAt, exp)
	}
	if tok.ExpiresIn != 5400 {
		t.Errorf("ExpiresIn = %d, want 5400", tok.ExpiresIn)
	}
	if tok.Username != "internal-id" {
		t.Errorf("Username = %q, want the access token's username claim", tok.Username)
	}
	if tok.TokenType != "Bearer" || tok.RefreshToken != "refresh-opaque" || tok.IDToken == "" {
		t.Errorf("tokens not carried over: %+v", tok)
	}
}

func TestTokensUsesExpiresInWhenGiven(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return fakeReply{body: authResult(map[string]any{"exp": 1}, 3600)}
	})
	c := fastClient(f.srv.URL)
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	tok, err := c.Password(testCtx(t), AuthParams{ClientID: "cid", Username: "bob", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 3600 || !tok.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("ExpiresIn %d ExpiresAt %v; want 3600 and %v", tok.ExpiresIn, tok.ExpiresAt, now.Add(time.Hour))
	}
	if tok.Username != "bob" {
		t.Errorf("Username = %q, want the name given when the token has none", tok.Username)
	}
}

func TestMalformedAuthenticationResult(t *testing.T) {
	for name, body := range map[string]any{
		"no access token":                map[string]any{"AuthenticationResult": map[string]any{"IdToken": "x"}},
		"neither tokens nor a challenge": map[string]any{},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeIDP(t, func(int, fakeCall) fakeReply { return fakeReply{body: body} })
			_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "p"})
			ee := wantCode(t, err, exit.Network)
			if !strings.Contains(ee.Error(), "malformed reply") {
				t.Errorf("message %q does not say malformed reply", ee.Error())
			}
		})
	}
}

// ---- client construction ----

func TestMissingInputsAreUsageErrors(t *testing.T) {
	c := fastClient("http://127.0.0.1:1")
	ctx := testCtx(t)
	for name, p := range map[string]AuthParams{
		"client":   {Username: "u", Password: "p", PoolID: "r_x"},
		"username": {ClientID: "c", Password: "p", PoolID: "r_x"},
		"password": {ClientID: "c", Username: "u", PoolID: "r_x"},
	} {
		_, err := c.Password(ctx, p)
		if ee := wantCode(t, err, exit.Usage); !strings.Contains(ee.Error(), name) {
			t.Errorf("password flow, missing %s: message %q", name, ee.Error())
		}
		_, err = c.SRP(ctx, p)
		wantCode(t, err, exit.Usage)
	}
	_, err := c.SRP(ctx, AuthParams{ClientID: "c", Username: "u", Password: "p"})
	wantCode(t, err, exit.Usage)
	_, err = c.SRP(ctx, AuthParams{PoolID: "no-underscore", ClientID: "c", Username: "u", Password: "p"})
	wantCode(t, err, exit.Usage)
}

// ---- error mapping ----

// moto answers a bad SECRET_HASH with NotAuthorizedException whose message is
// the hash itself; tokens can turn up in messages too. Neither may be shown.
func TestMapAWSErrorRedactsEchoedSecrets(t *testing.T) {
	jwt := fakeJWT(map[string]any{"sub": "x"})
	hash := cognito.SecretHash("cid", "client-secret-value", "u")
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return apiError(400, "NotAuthorizedException", hash+" rejected; token "+jwt)
	})
	_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", ClientSecret: "client-secret-value", Username: "u", Password: "pw-value"})
	ee := wantCode(t, err, exit.Auth)
	msg := ee.Error()
	if strings.Contains(msg, hash) || strings.Contains(msg, jwt) || !strings.Contains(msg, "[redacted]") {
		t.Errorf("message not redacted: %q", msg)
	}
	if !strings.HasPrefix(msg, "initiate auth: NotAuthorizedException: ") {
		t.Errorf("message %q lost its shape", msg)
	}
}

// isolateAWSEnv unsets every AWS_* variable and points HOME and the shared
// files at an empty folder, for the test's duration.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restores the value after the test
			os.Unsetenv(k)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// ---- the package against moto: unsigned calls with no AWS configuration ----

// recorder notes every request's auth headers before passing it on.
type recorder struct {
	mu      sync.Mutex
	headers []http.Header
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.headers = append(r.headers, req.Header.Clone())
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func TestPasswordWithNoAWSCredentialsAnywhere(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "nocreds", "Passw0rd!NoCreds", true)

	isolateAWSEnv(t)

	rec := &recorder{}
	c := testClient("us-east-1", pool.URL, &http.Client{Transport: rec})
	tok, err := c.Password(testCtx(t), AuthParams{ClientID: pool.PublicClientID, Username: "nocreds", Password: "Passw0rd!NoCreds"})
	if err != nil {
		t.Fatalf("password flow without AWS credentials: %v", err)
	}
	if tok.AccessToken == "" {
		t.Fatal("no access token")
	}
	if len(rec.headers) == 0 {
		t.Fatal("the custom *http.Client was not used")
	}
	for _, h := range rec.headers {
		if a := h.Get("Authorization"); a != "" {
			t.Errorf("request was signed: Authorization %q", a)
		}
		if h.Get("X-Amz-Security-Token") != "" {
			t.Error("request carried a session token")
		}
	}
}

package flows

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/testpeers"
)

const (
	oauthTClientID = "cc-client-id"
	oauthTSecret   = "cc-very-secret-value"
	oauthTAccess   = "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImFwaS9yZWFkIn0.c2lnbmF0dXJlLW9mLXRoZS1hY2Nlc3MtdG9rZW4"
)

// oauthTSeen is what the fake token endpoint saw of one request.
type oauthTSeen struct {
	method, ctype       string
	basicUser, basicPwd string
	basicOK             bool
	form                map[string][]string
}

// oauthTServer is a token endpoint that records each request and answers
// with reply.
func oauthTServer(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, func() []oauthTSeen) {
	t.Helper()
	var mu sync.Mutex
	var seen []oauthTSeen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/token" {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			t.Errorf("token request: parse form: %v", err)
		}
		s := oauthTSeen{method: r.Method, ctype: r.Header.Get("Content-Type"), form: r.PostForm}
		s.basicUser, s.basicPwd, s.basicOK = r.BasicAuth()
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
		reply(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []oauthTSeen {
		mu.Lock()
		defer mu.Unlock()
		return append([]oauthTSeen(nil), seen...)
	}
}

func oauthTJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func oauthTGood() func(http.ResponseWriter, *http.Request) {
	return oauthTJSON(200, `{"access_token":"`+oauthTAccess+`","expires_in":3600,"token_type":"Bearer"}`)
}

// oauthTExit asserts err is an *exit.Error with code want and returns it.
func oauthTExit(t *testing.T, err error, want int) *exit.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want exit code %d", want)
	}
	var ee *exit.Error
	if !errors.As(err, &ee) {
		t.Fatalf("error %q (%T) is not an *exit.Error", err, err)
	}
	if ee.Code != want {
		t.Fatalf("exit code %d, want %d (error: %v)", ee.Code, want, err)
	}
	return ee
}

// oauthTNoSecrets fails when msg shows a secret, a Basic header or a token.
func oauthTNoSecrets(t *testing.T, msg string, secrets ...string) {
	t.Helper()
	if strings.Contains(msg, "\n") {
		t.Errorf("error message spans lines: %q", msg)
	}
	for _, s := range append(secrets, oauthTSecret, oauthTAccess, "Basic ") {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error message %q reveals %q", msg, s)
		}
	}
}

func TestOAuthClientCredentialsBasic(t *testing.T) {
	srv, seen := oauthTServer(t, oauthTGood())
	// The expiry is computed with the clock given, from expires_in (x/oauth2
	// computes its own with time.Now, which it does not let us replace).
	now := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	tok, err := ClientCredentials(t.Context(), srv.Client(), ClientCredentialsParams{
		TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
		Scopes: []string{"api/read", "api/write"}, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("ClientCredentials: %v", err)
	}
	if tok.AccessToken != oauthTAccess || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
		t.Errorf("tokens = %+v", tok)
	}
	if tok.IDToken != "" || tok.RefreshToken != "" {
		t.Errorf("client credentials gave id/refresh tokens: %+v", tok)
	}
	if want := now.Add(time.Hour); !tok.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v (an hour after the clock given)", tok.ExpiresAt, want)
	}
	reqs := seen()
	if len(reqs) != 1 {
		t.Fatalf("token endpoint saw %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPost || !strings.HasPrefix(r.ctype, "application/x-www-form-urlencoded") {
		t.Errorf("request %s %q, want a form POST", r.method, r.ctype)
	}
	if !r.basicOK || r.basicUser != oauthTClientID || r.basicPwd != oauthTSecret {
		t.Errorf("basic auth = %v %q, want the client id and secret", r.basicOK, r.basicUser)
	}
	if _, ok := r.form["client_secret"]; ok {
		t.Errorf("basic auth also sent client_secret in the form")
	}
	if got := strings.Join(r.form["grant_type"], ","); got != "client_credentials" {
		t.Errorf("grant_type = %q", got)
	}
	if got := strings.Join(r.form["scope"], ","); got != "api/read api/write" {
		t.Errorf("scope = %q, want %q", got, "api/read api/write")
	}
}

func TestOAuthClientCredentialsPost(t *testing.T) {
	srv, seen := oauthTServer(t, oauthTGood())
	tok, err := ClientCredentials(t.Context(), srv.Client(), ClientCredentialsParams{
		TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
		AuthMethod: "post",
	})
	if err != nil {
		t.Fatalf("ClientCredentials: %v", err)
	}
	if tok.AccessToken != oauthTAccess {
		t.Errorf("access token = %q", tok.AccessToken)
	}
	reqs := seen()
	if len(reqs) != 1 {
		t.Fatalf("token endpoint saw %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.basicOK {
		t.Errorf("post auth sent an Authorization header")
	}
	if got := strings.Join(r.form["client_id"], ","); got != oauthTClientID {
		t.Errorf("form client_id = %q", got)
	}
	if got := strings.Join(r.form["client_secret"], ","); got != oauthTSecret {
		t.Errorf("form client_secret not sent")
	}
	if _, ok := r.form["scope"]; ok {
		t.Errorf("no scopes given, but the form has scope=%q", r.form["scope"])
	}
}

func TestOAuthClientCredentialsFailures(t *testing.T) {
	html := func(status int) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			io.WriteString(w, "<html><body><h1>Proxy authentication required</h1></body></html>")
		}
	}
	cases := []struct {
		name     string
		reply    func(http.ResponseWriter, *http.Request)
		code     int
		awsError string
		contains []string
	}{
		{"invalid_client", oauthTJSON(400, `{"error":"invalid_client"}`), exit.Auth, "invalid_client",
			[]string{"token endpoint refused the request: invalid_client", "wrong or rotated client secret", "has no secret"}},
		{"invalid_scope", oauthTJSON(400, `{"error":"invalid_scope","error_description":"scope api/nope is not allowed"}`), exit.Auth, "invalid_scope",
			[]string{"token endpoint refused the request: invalid_scope: scope api/nope is not allowed", "scopes asked: api/read"}},
		{"unauthorized_client", oauthTJSON(400, `{"error":"unauthorized_client"}`), exit.Auth, "unauthorized_client",
			[]string{"is not allowed the client_credentials grant", "AllowedOAuthFlows"}},
		{"unsupported_grant_type", oauthTJSON(400, `{"error":"unsupported_grant_type"}`), exit.Auth, "unsupported_grant_type", nil},
		{"invalid_grant 401", oauthTJSON(401, `{"error":"invalid_grant"}`), exit.Auth, "invalid_grant", nil},
		{"error in a 200", oauthTJSON(200, `{"error":"access_denied"}`), exit.Auth, "access_denied", nil},
		{"500", oauthTJSON(500, `{"message":"internal"}`), exit.Network, "", []string{"HTTP 500", "/oauth2/token"}},
		{"503 server_error", oauthTJSON(503, `{"error":"server_error"}`), exit.Network, "server_error", []string{"HTTP 503"}},
		{"429", oauthTJSON(429, `{"error":"too_many_requests"}`), exit.Network, "too_many_requests", []string{"HTTP 429"}},
		{"html 200", html(200), exit.Network, "", []string{"text/html", "/oauth2/token"}},
		{"html 502", html(502), exit.Network, "", []string{"HTTP 502"}},
		{"html 407", html(407), exit.Network, "", []string{"HTTP 407", "text/html"}},
		{"no access token", oauthTJSON(200, `{"token_type":"Bearer"}`), exit.Network, "", []string{"not a token"}},
		{"not json", oauthTJSON(200, `access_token=`), exit.Network, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, seen := oauthTServer(t, c.reply)
			_, err := ClientCredentials(t.Context(), srv.Client(), ClientCredentialsParams{
				TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
				Scopes: []string{"api/read"},
			})
			ee := oauthTExit(t, err, c.code)
			if ee.AWSError != c.awsError {
				t.Errorf("AWSError = %q, want %q", ee.AWSError, c.awsError)
			}
			if exit.AWSErrorOf(err) != c.awsError {
				t.Errorf("AWSErrorOf = %q, want %q", exit.AWSErrorOf(err), c.awsError)
			}
			for _, s := range c.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			oauthTNoSecrets(t, err.Error())
			if n := len(seen()); n != 1 {
				t.Errorf("token endpoint saw %d requests, want 1 (auth style probing?)", n)
			}
		})
	}
}

// oauthTNoNetwork is a client that fails the test if it is ever used.
func oauthTNoNetwork(t *testing.T) (*http.Client, *atomic.Int32) {
	var n atomic.Int32
	return &http.Client{Transport: oauthTRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		t.Errorf("unexpected request to %s", r.URL)
		return nil, errors.New("no network in this test")
	})}, &n
}

type oauthTRoundTripFunc func(*http.Request) (*http.Response, error)

func (f oauthTRoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestOAuthClientCredentialsUsage(t *testing.T) {
	good := ClientCredentialsParams{TokenURL: "https://x.auth.us-east-1.amazoncognito.com/oauth2/token",
		ClientID: oauthTClientID, ClientSecret: oauthTSecret}
	cases := []struct {
		name     string
		edit     func(*ClientCredentialsParams)
		contains string
	}{
		{"plain http to a remote host", func(p *ClientCredentialsParams) { p.TokenURL = "http://example.com/oauth2/token" }, "plain http"},
		{"not a URL", func(p *ClientCredentialsParams) { p.TokenURL = "example.com/oauth2/token" }, "not an http(s) URL"},
		{"scope with a space", func(p *ClientCredentialsParams) { p.Scopes = []string{"api/read api/write"} }, "white space"},
		{"empty scope", func(p *ClientCredentialsParams) { p.Scopes = []string{"api/read", ""} }, "empty scope"},
		{"unknown auth method", func(p *ClientCredentialsParams) { p.AuthMethod = "jwt" }, "basic or post"},
		{"no client id", func(p *ClientCredentialsParams) { p.ClientID = "" }, "client id"},
		{"no secret", func(p *ClientCredentialsParams) { p.ClientSecret = "" }, "secret"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hc, n := oauthTNoNetwork(t)
			p := good
			c.edit(&p)
			_, err := ClientCredentials(t.Context(), hc, p)
			oauthTExit(t, err, exit.Usage)
			if !strings.Contains(err.Error(), c.contains) {
				t.Errorf("error %q does not contain %q", err, c.contains)
			}
			oauthTNoSecrets(t, err.Error())
			if n.Load() != 0 {
				t.Errorf("%d requests were sent", n.Load())
			}
		})
	}
}

func TestOAuthClientCredentialsNetwork(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		_, err = ClientCredentials(t.Context(), nil, ClientCredentialsParams{
			TokenURL: "http://" + addr + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
		})
		oauthTExit(t, err, exit.Network)
		if err.Error() != "token endpoint http://"+addr+"/oauth2/token: connection refused" {
			t.Errorf("error %q does not name the endpoint", err)
		}
		oauthTNoSecrets(t, err.Error())
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv, _ := oauthTServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, err := ClientCredentials(ctx, srv.Client(), ClientCredentialsParams{
			TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
		})
		oauthTExit(t, err, exit.Network)
		if !strings.Contains(err.Error(), "timed out") {
			t.Errorf("error %q does not say it timed out", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		srv, _ := oauthTServer(t, func(w http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		})
		_, err := ClientCredentials(ctx, srv.Client(), ClientCredentialsParams{
			TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
		})
		oauthTExit(t, err, exit.Interrupted)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v does not wrap context.Canceled", err)
		}
	})
}

func TestOAuthTokensUsername(t *testing.T) {
	idTok := oauthTJWT(t, map[string]any{"cognito:username": "alice", "token_use": "id"})
	accTok := oauthTJWT(t, map[string]any{"username": "bob", "token_use": "access"})
	srv, _ := oauthTServer(t, oauthTJSON(200, `{"access_token":"`+accTok+`","id_token":"`+idTok+`","refresh_token":"r","expires_in":"60","token_type":"Bearer"}`))
	tok, err := ClientCredentials(t.Context(), srv.Client(), ClientCredentialsParams{
		TokenURL: srv.URL + "/oauth2/token", ClientID: oauthTClientID, ClientSecret: oauthTSecret,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.IDToken != idTok || tok.RefreshToken != "r" || tok.ExpiresIn != 60 {
		t.Errorf("tokens = %+v", tok)
	}
	if tok.Username != "alice" {
		t.Errorf("username = %q, want the id token's cognito:username", tok.Username)
	}
}

// oauthTJWT builds an unsigned JWT-shaped string with the given claims.
func oauthTJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ." + base64.RawURLEncoding.EncodeToString(b) + ".c2lnbmF0dXJl"
}

// oauthTPeerContext bounds a test that runs a real peer.
func oauthTPeerContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// oauthTVerify checks raw against the JWKS at jwksURL and issuer with
// testpeers.CheckToken, independently of cogtool's verifier.
func oauthTVerify(t *testing.T, ctx context.Context, raw, jwksURL, issuer string) map[string]any {
	t.Helper()
	claims, err := testpeers.CheckToken(ctx, raw, jwksURL, issuer)
	if err != nil {
		t.Fatal(err)
	}
	return claims
}

// TestOAuthClientCredentialsPeer runs the grant against oauth2-mock-server
// shaped like Cognito's /oauth2/token (testdata/peers/oauth2-server.js).
func TestOAuthClientCredentialsPeer(t *testing.T) {
	ctx := oauthTPeerContext(t)
	client := testpeers.OAuth2Client{ID: "weather-cc", Secret: "weather-cc-secret-41", Scopes: []string{"weather/read", "weather/write"}}
	peer, err := testpeers.StartOAuth2(ctx, testpeers.OAuth2Options{PoolID: "us-east-1_flowsCC", Clients: []testpeers.OAuth2Client{client}})
	testpeers.Need(t, "oauth2", err)
	defer peer.Stop()
	params := func(method string, scopes ...string) ClientCredentialsParams {
		return ClientCredentialsParams{TokenURL: peer.TokenURL, ClientID: client.ID, ClientSecret: client.Secret,
			Scopes: scopes, AuthMethod: method}
	}

	good := []struct {
		name  string
		p     ClientCredentialsParams
		scope string
	}{
		{"basic, one scope", params("basic", "weather/read"), "weather/read"},
		{"post, two scopes", params("post", "weather/read", "weather/write"), "weather/read weather/write"},
		{"default method, no scope", params(""), "weather/read weather/write"},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			tok, err := ClientCredentials(ctx, nil, c.p)
			if err != nil {
				t.Fatalf("ClientCredentials: %v", err)
			}
			if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || tok.ExpiresAt.IsZero() || tok.IDToken != "" || tok.RefreshToken != "" {
				t.Errorf("tokens = %+v", tok)
			}
			claims := oauthTVerify(t, ctx, tok.AccessToken, peer.JWKSURL, peer.Issuer)
			if claims["token_use"] != "access" || claims["client_id"] != client.ID || claims["scope"] != c.scope {
				t.Errorf("claims token_use=%v client_id=%v scope=%q; want access %s %q",
					claims["token_use"], claims["client_id"], claims["scope"], client.ID, c.scope)
			}
			if _, ok := claims["aud"]; ok {
				t.Errorf("a Cognito-shaped access token has no aud: %v", claims["aud"])
			}
		})
	}

	refused := []struct {
		name     string
		p        ClientCredentialsParams
		awsError string
		hide     string
		hint     string
	}{
		{"wrong secret, basic", func() ClientCredentialsParams { p := params("basic"); p.ClientSecret = "not-the-secret-77"; return p }(), "invalid_client", "not-the-secret-77", "a wrong or rotated client secret"},
		{"wrong secret, post", func() ClientCredentialsParams { p := params("post"); p.ClientSecret = "not-the-secret-78"; return p }(), "invalid_client", "not-the-secret-78", "a wrong or rotated client secret"},
		{"unknown client", func() ClientCredentialsParams { p := params("basic"); p.ClientID = "nobody"; return p }(), "invalid_client", client.Secret, "app client nobody has no secret, or belongs to another pool"},
		{"unknown scope", params("basic", "weather/read", "weather/delete"), "invalid_scope", client.Secret, "scopes asked: weather/read weather/delete"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before, err := peer.Stats()
			if err != nil {
				t.Fatal(err)
			}
			_, err = ClientCredentials(ctx, nil, c.p)
			ee := oauthTExit(t, err, exit.Auth)
			if ee.AWSError != c.awsError {
				t.Errorf("AWSError = %q, want %q (error: %v)", ee.AWSError, c.awsError, err)
			}
			if !strings.HasPrefix(err.Error(), "token endpoint refused the request: "+c.awsError) || !strings.Contains(err.Error(), c.hint) {
				t.Errorf("error = %q, want the refusal and %q", err, c.hint)
			}
			oauthTNoSecrets(t, err.Error(), c.hide, client.Secret)
			after, err := peer.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if after.TokensRefused != before.TokensRefused+1 || after.TokenRequests != before.TokenRequests+1 {
				t.Errorf("peer counted %+v then %+v: want exactly one refused request", before, after)
			}
		})
	}
}

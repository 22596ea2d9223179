package testpeers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// verifyToken checks raw against the JWKS at jwksURL and issuer (see
// CheckToken) and returns its claims.
func verifyToken(t *testing.T, ctx context.Context, raw, jwksURL, issuer string) map[string]any {
	t.Helper()
	claims, err := CheckToken(ctx, raw, jwksURL, issuer)
	if err != nil {
		t.Fatal(err)
	}
	return claims
}

// lifetime is exp - iat.
func lifetime(claims map[string]any) time.Duration {
	exp, _ := claims["exp"].(float64)
	iat, _ := claims["iat"].(float64)
	return time.Duration(exp-iat) * time.Second
}

// assertStopped checks Stop is idempotent and that the peer no longer answers.
func assertStopped(t *testing.T, p *Peer) {
	t.Helper()
	p.Stop()
	p.Stop()
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(p.URL + "/")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("%s still answers at %s after Stop", p.Name, p.URL)
	}
}

func passwordAuth(ctx context.Context, url, clientID, username, password string) (*types.AuthenticationResultType, error) {
	out, err := NewClient(url).InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		return nil, err
	}
	if out.AuthenticationResult == nil {
		return nil, errors.New("no AuthenticationResult (challenge " + string(out.ChallengeName) + ")")
	}
	return out.AuthenticationResult, nil
}

func TestMoto(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	p, err := StartMoto(ctx)
	Need(t, "moto", err)
	defer p.Stop()
	t.Logf("moto ready at %s in %v", p.URL, p.Ready)

	began := time.Now()
	pool, err := SeedMoto(ctx, p.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("moto seeded in %v", time.Since(began))
	for name, v := range map[string]string{
		"pool id": pool.ID, "public client": pool.PublicClientID, "secret client": pool.SecretClientID,
		"secret": pool.SecretClientSecret, "cc client": pool.CCClientID, "cc secret": pool.CCClientSecret,
	} {
		if v == "" {
			t.Errorf("seeded pool has no %s", name)
		}
	}
	if err := CreateUser(ctx, p.URL, pool.ID, "alice", "Passw0rd!alice", true); err != nil {
		t.Fatal(err)
	}
	res, err := passwordAuth(ctx, p.URL, pool.PublicClientID, "alice", "Passw0rd!alice")
	if err != nil {
		t.Fatalf("USER_PASSWORD_AUTH on moto: %v", err)
	}
	if aws.ToString(res.IdToken) == "" || aws.ToString(res.RefreshToken) == "" {
		t.Errorf("moto returned no id or refresh token")
	}
	tok := verifyToken(t, ctx, aws.ToString(res.AccessToken), pool.JWKSURL, pool.Issuer)
	if got := tok["client_id"]; got != pool.PublicClientID {
		t.Errorf("access token client_id = %q, want %q", got, pool.PublicClientID)
	}

	if _, err := passwordAuth(ctx, p.URL, pool.PublicClientID, "alice", "wrong-Passw0rd!"); err == nil {
		t.Errorf("moto accepted a wrong password")
	}

	// A user created without a permanent password must change it first.
	if err := CreateUser(ctx, p.URL, pool.ID, "bob", "Passw0rd!bob", false); err != nil {
		t.Fatal(err)
	}
	out, err := NewClient(p.URL).InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(pool.PublicClientID),
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!bob"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("first sign-in of a temporary-password user: challenge %q, want NEW_PASSWORD_REQUIRED", out.ChallengeName)
	}
	assertStopped(t, p)
}

func TestCognitoLocal(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	p, err := StartCognitoLocal(ctx, "")
	Need(t, "cognito-local", err)
	defer p.Stop()
	t.Logf("cognito-local ready at %s in %v", p.URL, p.Ready)
	if _, err := os.Stat(filepath.Join(p.Dir, ".cognito", "config.json")); err != nil {
		t.Fatalf("no config.json in the state folder: %v", err)
	}

	began := time.Now()
	pool, err := SeedCognitoLocal(ctx, p.URL, CognitoLocalOptions{
		CallbackURLs:        []string{"http://127.0.0.1:8765/callback"},
		AccessTokenValidity: 2 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cognito-local seeded in %v", time.Since(began))
	if pool.PublicClientID == "" || pool.SecretClientID == "" || pool.SecretClientSecret == "" {
		t.Fatalf("seeded pool lacks a client: %+v", pool)
	}
	desc, err := NewClient(p.URL).DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(pool.ID), ClientId: aws.String(pool.PublicClientID),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(desc.UserPoolClient.CallbackURLs, []string{"http://127.0.0.1:8765/callback"}) {
		t.Errorf("public client callback URLs = %v", desc.UserPoolClient.CallbackURLs)
	}

	if err := CreateUser(ctx, p.URL, pool.ID, "alice", "Passw0rd!alice", true); err != nil {
		t.Fatal(err)
	}
	res, err := passwordAuth(ctx, p.URL, pool.PublicClientID, "alice", "Passw0rd!alice")
	if err != nil {
		t.Fatalf("USER_PASSWORD_AUTH on cognito-local: %v", err)
	}
	if aws.ToString(res.IdToken) == "" || aws.ToString(res.RefreshToken) == "" {
		t.Errorf("cognito-local returned no id or refresh token")
	}
	tok := verifyToken(t, ctx, aws.ToString(res.AccessToken), pool.JWKSURL, pool.Issuer)
	if got := tok["token_use"]; got != "access" {
		t.Errorf("token_use = %q, want access", got)
	}
	if life := lifetime(tok); life != 2*time.Minute {
		t.Errorf("access token lifetime = %v, want the seeded 2m", life)
	}
	if _, err := passwordAuth(ctx, p.URL, pool.PublicClientID, "alice", "wrong-Passw0rd!"); err == nil {
		t.Errorf("cognito-local accepted a wrong password")
	}

	dir := p.Dir
	assertStopped(t, p)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary state folder %s survived Stop (stat: %v)", dir, err)
	}
}

// tokenCall posts a token request to the oauth2 peer and returns the status
// and the decoded JSON body.
func tokenCall(t *testing.T, p *Peer, form url.Values, basicID, basicSecret string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(basicID, basicSecret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("token endpoint answered %d with non-JSON %q", resp.StatusCode, body)
	}
	return resp.StatusCode, m
}

func TestOAuth2(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	clients := []OAuth2Client{
		{ID: "reader", Secret: "reader-secret", Scopes: []string{"api/read", "dotnet-demo/dotnet"}},
		{ID: "other", Secret: "other-secret", Scopes: []string{"api/write"}},
		{ID: "odd", Secret: "p+s/w=rd&:x", Scopes: []string{"api/read"}},
	}
	p, err := StartOAuth2(ctx, OAuth2Options{PoolID: "us-east-1_testpeer", Clients: clients, ExpiresIn: 15 * time.Minute})
	Need(t, "oauth2", err)
	defer p.Stop()
	t.Logf("oauth2 ready at %s in %v", p.URL, p.Ready)
	if p.Issuer != p.URL+"/us-east-1_testpeer" {
		t.Errorf("issuer = %q", p.Issuer)
	}

	cc := url.Values{"grant_type": {"client_credentials"}}
	sent := 0

	// HTTP Basic, no scope: every scope of the client.
	status, body := tokenCall(t, p, cc, "reader", "reader-secret")
	sent++
	if status != http.StatusOK {
		t.Fatalf("basic auth: status %d, body %v", status, body)
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"access_token", "expires_in", "token_type"}) {
		t.Errorf("token response fields = %v, want access_token expires_in token_type", keys)
	}
	if body["token_type"] != "Bearer" || body["expires_in"] != float64(900) {
		t.Errorf("token_type %v, expires_in %v; want Bearer, 900", body["token_type"], body["expires_in"])
	}
	tok := verifyToken(t, ctx, body["access_token"].(string), p.JWKSURL, p.Issuer)
	if got := tok["token_use"]; got != "access" {
		t.Errorf("token_use = %q", got)
	}
	if got := tok["client_id"]; got != "reader" {
		t.Errorf("client_id = %q", got)
	}
	if got := tok["scope"]; got != "api/read dotnet-demo/dotnet" {
		t.Errorf("scope = %q, want every scope of the client", got)
	}
	if aud, ok := tok["aud"]; ok {
		t.Errorf("token has aud %v; Cognito access tokens have none", aud)
	}
	for _, c := range []string{"jti", "auth_time", "version", "sub"} {
		if _, ok := tok[c]; !ok {
			t.Errorf("token lacks %s", c)
		}
	}
	if lifetime(tok) != 15*time.Minute {
		t.Errorf("exp - iat = %v, want 15m", lifetime(tok))
	}

	// Form credentials with one scope.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"reader"},
		"client_secret": {"reader-secret"}, "scope": {"dotnet-demo/dotnet"}}
	status, body = tokenCall(t, p, form, "", "")
	sent++
	if status != http.StatusOK {
		t.Fatalf("post auth: status %d, body %v", status, body)
	}
	tok = verifyToken(t, ctx, body["access_token"].(string), p.JWKSURL, p.Issuer)
	if got := tok["scope"]; got != "dotnet-demo/dotnet" {
		t.Errorf("scope = %q, want the one requested", got)
	}

	// A secret with reserved characters, raw and form-encoded (RFC 6749
	// 2.3.1, as x/oauth2 sends it).
	for _, secret := range []string{"p+s/w=rd&:x", url.QueryEscape("p+s/w=rd&:x")} {
		status, body = tokenCall(t, p, cc, "odd", secret)
		sent++
		if status != http.StatusOK {
			t.Errorf("basic auth with secret %q: status %d, body %v", secret, status, body)
		}
	}

	// Go's own OAuth2 client, both ways of sending the credentials.
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		cfg := clientcredentials.Config{ClientID: "odd", ClientSecret: "p+s/w=rd&:x", TokenURL: p.TokenURL, AuthStyle: style}
		tk, err := cfg.Token(ctx)
		sent++
		if err != nil {
			t.Errorf("x/oauth2 client credentials (auth style %v): %v", style, err)
		} else if tk.TokenType != "Bearer" || tk.Expiry.IsZero() {
			t.Errorf("x/oauth2 token: type %q, expiry %v", tk.TokenType, tk.Expiry)
		}
	}

	refusals := []struct {
		name        string
		form        url.Values
		user, pass  string
		wantErrName string
	}{
		{"wrong secret", cc, "reader", "nope", "invalid_client"},
		{"unknown client", cc, "ghost", "reader-secret", "invalid_client"},
		{"no secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"reader"}}, "", "", "invalid_client"},
		{"unknown scope", url.Values{"grant_type": {"client_credentials"}, "scope": {"api/read api/admin"}}, "reader", "reader-secret", "invalid_scope"},
		{"another client's scope", url.Values{"grant_type": {"client_credentials"}, "scope": {"api/write"}}, "reader", "reader-secret", "invalid_scope"},
		{"password grant", url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}, "reader", "reader-secret", "unsupported_grant_type"},
		{"made-up grant", url.Values{"grant_type": {"magic"}}, "reader", "reader-secret", "unsupported_grant_type"},
	}
	for _, r := range refusals {
		status, body := tokenCall(t, p, r.form, r.user, r.pass)
		sent++
		if status != http.StatusBadRequest || body["error"] != r.wantErrName || len(body) != 1 {
			t.Errorf("%s: got %d %v, want 400 {\"error\":%q}", r.name, status, body, r.wantErrName)
		}
	}

	st, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.TokenRequests != sent || st.TokensIssued != 6 || st.TokensRefused != len(refusals) {
		t.Errorf("stats = %+v, want %d requests, 6 issued, %d refused", st, sent, len(refusals))
	}
	n, err := p.TokenRequests()
	if err != nil || n != sent {
		t.Errorf("TokenRequests() = %d, %v; want %d", n, err, sent)
	}
	assertStopped(t, p)
	if _, err := p.TokenRequests(); err == nil {
		t.Errorf("TokenRequests succeeded on a stopped peer")
	}
}

func TestTokenRequestsOnlyOnOAuth2(t *testing.T) {
	if _, err := (&Peer{Name: "moto", URL: "http://127.0.0.1:1"}).TokenRequests(); err == nil {
		t.Fatal("TokenRequests on moto did not fail")
	}
	var nilPeer *Peer
	nilPeer.Stop() // must not panic
}

func TestMissingNodeModulesSaysHowToInstall(t *testing.T) {
	_, err := nodePackageIn(t.TempDir(), "cognito-local")
	if err == nil || !strings.Contains(err.Error(), "npm ci --prefix testdata/peers") {
		t.Fatalf("error = %v, want the npm ci command", err)
	}
	if !errors.Is(err, ErrNotInstalled) {
		t.Errorf("error = %v, want it marked ErrNotInstalled (a skip outside make test)", err)
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "testdata/peers/package.json", "testdata/peers/oauth2-server.js"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("repo root %s lacks %s", root, f)
		}
	}
}

func TestEarlyExitReportsOutputAndHint(t *testing.T) {
	// A shell stands in for python3 so that the test needs no Python: it
	// prints what python3 prints for a missing module and exits.
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	_, err = start(testContext(t), spec{
		name:      "moto",
		path:      sh,
		args:      []string{"-c", `echo "ModuleNotFoundError: No module named 'no_such_module_for_testpeers'" >&2; exit 1`},
		readyPath: "/",
		hint:      motoHint,
	}, port)
	if err == nil {
		t.Fatal("a peer that exits at once was reported ready")
	}
	for _, want := range []string{"exited before it was ready", "pip install 'moto[server]'", "no_such_module_for_testpeers"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if errors.Is(err, errPortTaken) {
		t.Errorf("an import error was taken for a port clash")
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := &tailBuffer{max: 8}
	_, _ = b.Write([]byte("abcdef"))
	_, _ = b.Write([]byte("ghijkl"))
	if got := b.String(); got != "efghijkl" {
		t.Errorf("tail = %q, want efghijkl", got)
	}
	if got := lastLines("a\n\nb\nc\n", 2); got != "b | c" {
		t.Errorf("lastLines = %q", got)
	}
}

package flows

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/testpeers"
)

const loginTClientID = "hosted-ui-client"

// loginTGrant is what the fake authorize endpoint remembers of one code.
type loginTGrant struct {
	challenge, redirectURI, scope, username string
}

// loginTIdP is a fake hosted UI: /oauth2/authorize signs "alice" in at
// once and redirects with a code; /oauth2/token checks the code, the
// redirect URI, the client and PKCE before it answers with tokens.
type loginTIdP struct {
	t        *testing.T
	secret   string // when set, the token request must carry it in Basic auth
	denyWith string // when set, authorize redirects with error=denyWith
	srv      *httptest.Server

	mu        sync.Mutex
	grants    map[string]loginTGrant
	authorize []url.Values
	exchanges []url.Values
	pkceOK    int
}

// snapshot returns what the IdP has seen so far.
func (idp *loginTIdP) snapshot() (authorize, exchanges []url.Values, pkceOK int) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	return append([]url.Values(nil), idp.authorize...), append([]url.Values(nil), idp.exchanges...), idp.pkceOK
}

func loginTNewIdP(t *testing.T) *loginTIdP {
	idp := &loginTIdP{t: t, grants: map[string]loginTGrant{}}
	idp.srv = httptest.NewServer(http.HandlerFunc(idp.serve))
	t.Cleanup(idp.srv.Close)
	return idp
}

func (idp *loginTIdP) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/oauth2/authorize":
		q := r.URL.Query()
		idp.mu.Lock()
		idp.authorize = append(idp.authorize, q)
		n := len(idp.authorize)
		idp.mu.Unlock()
		if q.Get("response_type") != "code" || q.Get("client_id") != loginTClientID ||
			q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" {
			http.Error(w, "bad authorize request", http.StatusBadRequest)
			return
		}
		target, err := url.Parse(q.Get("redirect_uri"))
		if err != nil || target.Host == "" {
			http.Error(w, "bad redirect_uri", http.StatusBadRequest)
			return
		}
		back := target.Query()
		back.Set("state", q.Get("state"))
		if idp.denyWith != "" {
			back.Set("error", idp.denyWith)
			back.Set("error_description", "User is not allowed to sign in")
		} else {
			code := fmt.Sprintf("code-%d", n)
			idp.mu.Lock()
			idp.grants[code] = loginTGrant{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri"),
				scope: q.Get("scope"), username: "alice"}
			idp.mu.Unlock()
			back.Set("code", code)
		}
		target.RawQuery = back.Encode()
		http.Redirect(w, r, target.String(), http.StatusFound)
	case "/oauth2/token":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		f := r.PostForm
		idp.mu.Lock()
		defer idp.mu.Unlock()
		idp.exchanges = append(idp.exchanges, f)
		oauthErr := func(code string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":%q}`, code)
		}
		if idp.secret != "" {
			if u, p, ok := r.BasicAuth(); !ok || u != loginTClientID || p != idp.secret {
				oauthErr("invalid_client")
				return
			}
		}
		if f.Get("client_id") != loginTClientID {
			oauthErr("invalid_client")
			return
		}
		if f.Get("grant_type") != "authorization_code" {
			oauthErr("unsupported_grant_type")
			return
		}
		g, ok := idp.grants[f.Get("code")]
		delete(idp.grants, f.Get("code")) // single use
		if !ok || g.redirectURI != f.Get("redirect_uri") {
			oauthErr("invalid_grant")
			return
		}
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthErr("invalid_grant")
			return
		}
		idp.pkceOK++
		id := oauthTJWT(idp.t, map[string]any{"cognito:username": g.username, "token_use": "id", "aud": loginTClientID})
		acc := oauthTJWT(idp.t, map[string]any{"username": g.username, "token_use": "access", "scope": g.scope})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"id_token":%q,"refresh_token":"refresh-opaque","expires_in":3600,"token_type":"Bearer"}`, acc, id)
	default:
		http.NotFound(w, r)
	}
}

// loginTNoRedirect is an HTTP client that shows redirects instead of following them.
var loginTNoRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// loginTGet fetches raw and returns the status and body.
func loginTGet(raw string) (int, string, http.Header, error) {
	resp, err := loginTNoRedirect.Get(raw)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header, err
}

// loginTBrowser plays the user's browser: it follows the authorize URL to
// the fake IdP and the IdP's redirect to cogtool's callback. before runs
// first, with the callback URL, for stray requests.
type loginTBrowser struct {
	t      *testing.T
	before func(callback *url.URL)
	wg     sync.WaitGroup

	mu           sync.Mutex
	shown        string
	callbackCode int
	callbackBody string
	callbackHdr  http.Header
}

func (b *loginTBrowser) open(authURL string) error {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		status, _, hdr, err := loginTGet(authURL)
		if err != nil || status != http.StatusFound {
			b.t.Errorf("authorize: status %d, err %v", status, err)
			return
		}
		loc, err := url.Parse(hdr.Get("Location"))
		if err != nil {
			b.t.Errorf("authorize: bad Location: %v", err)
			return
		}
		if b.before != nil {
			b.before(loc)
		}
		status, body, hdr, err := loginTGet(loc.String())
		if err != nil {
			b.t.Errorf("callback: %v", err)
			return
		}
		b.mu.Lock()
		b.callbackCode, b.callbackBody, b.callbackHdr = status, body, hdr
		b.mu.Unlock()
	}()
	return nil
}

func (b *loginTBrowser) show(u string) {
	b.mu.Lock()
	b.shown = u
	b.mu.Unlock()
}

func (b *loginTBrowser) params(idp *loginTIdP) LoginParams {
	return LoginParams{Domain: idp.srv.URL, ClientID: loginTClientID, OpenBrowser: b.open, ShowURL: b.show}
}

func TestLoginPublicClient(t *testing.T) {
	idp := loginTNewIdP(t)
	b := &loginTBrowser{t: t}
	tok, err := Login(t.Context(), idp.srv.Client(), b.params(idp))
	b.wg.Wait()
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if tok.AccessToken == "" || tok.IDToken == "" || tok.RefreshToken != "refresh-opaque" || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
		t.Errorf("tokens = %+v", tok)
	}
	if tok.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt not set")
	}
	if tok.Username != "alice" {
		t.Errorf("username = %q, want alice", tok.Username)
	}
	if b.callbackCode != http.StatusOK || !strings.Contains(b.callbackBody, "Signed in to cogtool. You can close this tab.") {
		t.Errorf("callback page: %d %q", b.callbackCode, b.callbackBody)
	}
	if got := b.callbackHdr.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
		t.Errorf("callback page content type %q", got)
	}
	_, exchanges, pkceOK := idp.snapshot()
	if pkceOK != 1 || len(exchanges) != 1 {
		t.Fatalf("PKCE checks passed %d, exchanges %d; want 1 and 1", pkceOK, len(exchanges))
	}

	// The URL shown is the one the browser was sent to, with every parameter.
	shown, err := url.Parse(b.shown)
	if err != nil {
		t.Fatal(err)
	}
	if shown.Path != "/oauth2/authorize" || shown.Host != strings.TrimPrefix(idp.srv.URL, "http://") {
		t.Errorf("authorize URL %s is not the domain's /oauth2/authorize", b.shown)
	}
	q := shown.Query()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": loginTClientID, "scope": "openid email profile",
		"code_challenge_method": "S256",
	} {
		if q.Get(k) != want {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("state")) < 32 || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state %q / code_challenge %q too short", q.Get("state"), q.Get("code_challenge"))
	}
	if q.Has("code_verifier") {
		t.Errorf("the verifier leaked into the authorize URL")
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme != "http" || redirect.Hostname() != "localhost" || redirect.Path != "/callback" || redirect.Port() == "" || redirect.Port() == "0" {
		t.Errorf("default redirect_uri = %q, want http://localhost:<port>/callback", q.Get("redirect_uri"))
	}

	ex := exchanges[0]
	if ex.Get("redirect_uri") != q.Get("redirect_uri") || ex.Get("client_id") != loginTClientID || ex.Has("client_secret") {
		t.Errorf("token request form %v", ex)
	}
	if len(ex.Get("code_verifier")) != 43 {
		t.Errorf("code_verifier %q is not 32 bytes of base64url", ex.Get("code_verifier"))
	}

	// The callback server is gone once Login returns.
	if _, _, _, err := loginTGet(q.Get("redirect_uri")); err == nil {
		t.Errorf("the callback server still answers after Login returned")
	}
}

func TestLoginConfidentialClient(t *testing.T) {
	idp := loginTNewIdP(t)
	idp.secret = "hosted-ui-secret"
	b := &loginTBrowser{t: t}
	p := b.params(idp)
	p.ClientSecret = idp.secret
	p.Scopes = []string{"openid", "api/read"}
	tok, err := Login(t.Context(), idp.srv.Client(), p)
	b.wg.Wait()
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	authorize, exchanges, pkceOK := idp.snapshot()
	if tok.Username != "alice" || pkceOK != 1 || len(exchanges) != 1 {
		t.Fatalf("username %q, PKCE checks %d, exchanges %d", tok.Username, pkceOK, len(exchanges))
	}
	if got := authorize[0].Get("scope"); got != "openid api/read" {
		t.Errorf("scope = %q", got)
	}
	if ex := exchanges[0]; ex.Has("client_secret") || ex.Get("client_id") != loginTClientID {
		t.Errorf("token form %v: want client_id and no client_secret (it goes in Basic)", ex)
	}

	// A wrong secret is the token endpoint's refusal.
	idp2 := loginTNewIdP(t)
	idp2.secret = "right-secret"
	b2 := &loginTBrowser{t: t}
	p2 := b2.params(idp2)
	p2.ClientSecret = "wrong-secret-value"
	_, err = Login(t.Context(), idp2.srv.Client(), p2)
	b2.wg.Wait()
	ee := oauthTExit(t, err, exit.Auth)
	if ee.AWSError != "invalid_client" {
		t.Errorf("AWSError = %q", ee.AWSError)
	}
	oauthTNoSecrets(t, err.Error(), "wrong-secret-value")
}

func TestLoginRejectsStrayCallbacks(t *testing.T) {
	idp := loginTNewIdP(t)
	var stray []string
	b := &loginTBrowser{t: t}
	b.before = func(cb *url.URL) {
		try := func(name string, u url.URL, want int) {
			status, _, _, err := loginTGet(u.String())
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			if status != want {
				t.Errorf("%s: status %d, want %d", name, status, want)
			}
			stray = append(stray, name)
		}
		good := cb.Query()

		wrong := *cb
		q := url.Values{"code": {good.Get("code")}, "state": {"forged-state"}}
		wrong.RawQuery = q.Encode()
		try("wrong state", wrong, http.StatusBadRequest)

		missing := *cb
		missing.RawQuery = url.Values{"code": {good.Get("code")}}.Encode()
		try("missing state", missing, http.StatusBadRequest)

		forgedErr := *cb
		forgedErr.RawQuery = url.Values{"error": {"access_denied"}, "state": {"forged"}}.Encode()
		try("error with a wrong state", forgedErr, http.StatusBadRequest)

		noCode := *cb
		noCode.RawQuery = url.Values{"state": {good.Get("state")}}.Encode()
		try("no code", noCode, http.StatusBadRequest)

		other := *cb
		other.Path = "/favicon.ico"
		try("other path", other, http.StatusNotFound)
	}
	tok, err := Login(t.Context(), idp.srv.Client(), b.params(idp))
	b.wg.Wait()
	if err != nil {
		t.Fatalf("Login after stray callbacks: %v", err)
	}
	if len(stray) != 5 {
		t.Errorf("stray requests made: %v", stray)
	}
	if tok.Username != "alice" || b.callbackCode != http.StatusOK {
		t.Errorf("username %q, callback status %d", tok.Username, b.callbackCode)
	}
	if _, exchanges, _ := idp.snapshot(); len(exchanges) != 1 {
		t.Errorf("%d code exchanges, want 1", len(exchanges))
	}
}

func TestLoginErrorCallback(t *testing.T) {
	idp := loginTNewIdP(t)
	idp.denyWith = "access_denied"
	b := &loginTBrowser{t: t}
	_, err := Login(t.Context(), idp.srv.Client(), b.params(idp))
	b.wg.Wait()
	ee := oauthTExit(t, err, exit.Auth)
	if ee.AWSError != "access_denied" {
		t.Errorf("AWSError = %q", ee.AWSError)
	}
	if !strings.Contains(err.Error(), "access_denied: User is not allowed to sign in") {
		t.Errorf("error %q lacks the error and its description", err)
	}
	if !strings.Contains(b.callbackBody, "User is not allowed to sign in") {
		t.Errorf("callback page %q does not say why", b.callbackBody)
	}
	if _, exchanges, _ := idp.snapshot(); len(exchanges) != 0 {
		t.Errorf("an error callback led to %d code exchanges", len(exchanges))
	}
}

func TestLoginTimeout(t *testing.T) {
	idp := loginTNewIdP(t)
	var shown string
	opened := make(chan string, 1)
	p := LoginParams{Domain: idp.srv.URL, ClientID: loginTClientID, Timeout: 300 * time.Millisecond,
		ShowURL:     func(u string) { shown = u },
		OpenBrowser: func(u string) error { opened <- u; return errors.New("no browser here") },
	}
	_, err := Login(t.Context(), idp.srv.Client(), p)
	oauthTExit(t, err, exit.Network)
	if !strings.HasPrefix(err.Error(), "no callback from the browser within 300ms: is http://localhost:") ||
		!strings.HasSuffix(err.Error(), "/callback among the app client's callback URLs (exactly, port included)?") {
		t.Errorf("error = %q", err)
	}
	if got := <-opened; shown == "" || got != shown {
		t.Errorf("URL shown %q, browser opened at %q: want the same URL", shown, got)
	}
	u, _ := url.Parse(shown)
	if _, _, _, err := loginTGet(u.Query().Get("redirect_uri")); err == nil {
		t.Errorf("the callback server still answers after the timeout")
	}
}

func TestLoginCancel(t *testing.T) {
	idp := loginTNewIdP(t)
	ctx, cancel := context.WithCancel(t.Context())
	var redirect string
	p := LoginParams{Domain: idp.srv.URL, ClientID: loginTClientID,
		ShowURL: func(u string) {
			pu, _ := url.Parse(u)
			redirect = pu.Query().Get("redirect_uri")
			cancel()
		},
	}
	_, err := Login(ctx, idp.srv.Client(), p)
	oauthTExit(t, err, exit.Interrupted)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	if _, _, _, err := loginTGet(redirect); err == nil {
		t.Errorf("the callback server still answers after cancellation")
	}
}

func TestLoginExplicitRedirect(t *testing.T) {
	idp := loginTNewIdP(t)
	port := loginTFreePort(t)
	b := &loginTBrowser{t: t}
	p := b.params(idp)
	p.RedirectURI = "http://127.0.0.1:" + strconv.Itoa(port) + "/auth/done"
	tok, err := Login(t.Context(), idp.srv.Client(), p)
	b.wg.Wait()
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if tok.Username != "alice" {
		t.Errorf("username %q", tok.Username)
	}
	authorize, exchanges, _ := idp.snapshot()
	if len(authorize) != 1 || len(exchanges) != 1 {
		t.Fatalf("authorize requests %d, exchanges %d; want 1 and 1", len(authorize), len(exchanges))
	}
	if got := authorize[0].Get("redirect_uri"); got != p.RedirectURI {
		t.Errorf("redirect_uri sent %q, want %q exactly", got, p.RedirectURI)
	}
	if got := exchanges[0].Get("redirect_uri"); got != p.RedirectURI {
		t.Errorf("token redirect_uri %q, want %q", got, p.RedirectURI)
	}
}

func TestLoginPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	idp := loginTNewIdP(t)
	shown := false
	_, err = Login(t.Context(), idp.srv.Client(), LoginParams{Domain: idp.srv.URL, ClientID: loginTClientID,
		RedirectURI: "http://127.0.0.1:" + strconv.Itoa(port) + "/callback", ShowURL: func(string) { shown = true }})
	oauthTExit(t, err, exit.Usage)
	if !strings.Contains(err.Error(), strconv.Itoa(port)) || shown {
		t.Errorf("error %q (URL shown: %v)", err, shown)
	}
}

func TestLoginUsage(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(*LoginParams)
		contains string
	}{
		{"plain http domain", func(p *LoginParams) { p.Domain = "http://example.com" }, "plain http"},
		{"domain not a URL", func(p *LoginParams) { p.Domain = "my-prefix" }, "not an http(s) URL"},
		{"https redirect", func(p *LoginParams) { p.RedirectURI = "https://localhost:8976/callback" }, "http URL on localhost"},
		{"remote redirect", func(p *LoginParams) { p.RedirectURI = "http://example.com:8976/callback" }, "loopback"},
		{"redirect without port", func(p *LoginParams) { p.RedirectURI = "http://localhost/callback" }, "explicit port"},
		{"redirect with port 0", func(p *LoginParams) { p.RedirectURI = "http://127.0.0.1:0/callback" }, "explicit port"},
		{"port conflict", func(p *LoginParams) { p.RedirectURI = "http://localhost:8976/callback"; p.Port = 8977 }, "conflicts"},
		{"port out of range", func(p *LoginParams) { p.Port = 70000 }, "out of range"},
		{"scope with a space", func(p *LoginParams) { p.Scopes = []string{"openid email"} }, "white space"},
		{"no client id", func(p *LoginParams) { p.ClientID = "" }, "client id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hc, n := oauthTNoNetwork(t)
			shown := false
			p := LoginParams{Domain: "https://x.auth.us-east-1.amazoncognito.com", ClientID: loginTClientID,
				ShowURL: func(string) { shown = true }}
			c.edit(&p)
			_, err := Login(t.Context(), hc, p)
			oauthTExit(t, err, exit.Usage)
			if !strings.Contains(err.Error(), c.contains) {
				t.Errorf("error %q does not contain %q", err, c.contains)
			}
			if shown || n.Load() != 0 {
				t.Errorf("URL shown %v, requests %d: want neither", shown, n.Load())
			}
		})
	}
}

func loginTFreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var loginTHiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// loginTHostedUI plays a person at cognito-local's hosted UI: it opens the
// authorize URL, checks that the form carries cogtool's parameters, tries a
// wrong password, signs in, and follows the redirect to cogtool's callback.
func loginTHostedUI(t *testing.T, authURL, username, password string) (callbackStatus int, callbackBody string) {
	status, page, _, err := loginTGet(authURL)
	if err != nil || status != http.StatusOK {
		t.Errorf("GET authorize: %d %v: %s", status, err, page)
		return 0, ""
	}
	au, _ := url.Parse(authURL)
	form := url.Values{}
	for _, m := range loginTHiddenInput.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, k := range []string{"client_id", "redirect_uri", "state", "code_challenge", "scope"} {
		if form.Get(k) != au.Query().Get(k) {
			t.Errorf("login form %s = %q, want %q from the authorize URL", k, form.Get(k), au.Query().Get(k))
		}
	}
	post := func(pw string) (*http.Response, string) {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("username", username)
		f.Set("password", pw)
		resp, err := loginTNoRedirect.PostForm(au.Scheme+"://"+au.Host+"/oauth2/authorize", f)
		if err != nil {
			t.Errorf("POST authorize: %v", err)
			return nil, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := post(password + "-wrong"); resp == nil || resp.StatusCode != http.StatusOK || !strings.Contains(body, "Incorrect username or password.") {
		t.Errorf("a wrong password was not refused by the form")
	}
	resp, body := post(password)
	if resp == nil || resp.StatusCode != http.StatusFound {
		t.Errorf("sign-in did not redirect: %v %s", resp, body)
		return 0, ""
	}
	status, body, _, err = loginTGet(resp.Header.Get("Location"))
	if err != nil {
		t.Errorf("GET callback: %v", err)
	}
	return status, body
}

// TestLoginCognitoLocal signs in end to end through cognito-local 5.3.0's
// hosted-UI form and token endpoint (real PKCE check, real tokens).
func TestLoginCognitoLocal(t *testing.T) {
	ctx := oauthTPeerContext(t)
	peer, err := testpeers.StartCognitoLocal(ctx, "")
	testpeers.Need(t, "cognito-local", err)
	defer peer.Stop()
	port := loginTFreePort(t)
	localhostURI := "http://localhost:" + strconv.Itoa(port) + "/callback"
	loopbackURI := "http://127.0.0.1:" + strconv.Itoa(port) + "/cogtool/cb"
	pool, err := testpeers.SeedCognitoLocal(ctx, peer.URL, testpeers.CognitoLocalOptions{CallbackURLs: []string{localhostURI, loopbackURI}})
	if err != nil {
		t.Fatal(err)
	}
	const user, password = "carol", "Passw0rd!carol-9"
	if err := testpeers.CreateUser(ctx, peer.URL, pool.ID, user, password, true); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		clientID string
		secret   string
		edit     func(*LoginParams)
		redirect string
	}{
		{"public client, default redirect on --port", pool.PublicClientID, "", func(p *LoginParams) { p.Port = port }, localhostURI},
		{"secret client, explicit 127.0.0.1 redirect", pool.SecretClientID, pool.SecretClientSecret, func(p *LoginParams) { p.RedirectURI = loopbackURI }, loopbackURI},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var wg sync.WaitGroup
			var cbStatus int
			var cbBody, shown string
			p := LoginParams{Domain: peer.URL, ClientID: c.clientID, ClientSecret: c.secret,
				ShowURL: func(u string) {
					shown = u
					wg.Add(1)
					go func() {
						defer wg.Done()
						cbStatus, cbBody = loginTHostedUI(t, u, user, password)
					}()
				},
			}
			c.edit(&p)
			tok, err := Login(ctx, nil, p)
			wg.Wait()
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if cbStatus != http.StatusOK || !strings.Contains(cbBody, "Signed in to cogtool") {
				t.Errorf("callback page %d %q", cbStatus, cbBody)
			}
			su, _ := url.Parse(shown)
			if got := su.Query().Get("redirect_uri"); got != c.redirect {
				t.Errorf("redirect_uri = %q, want %q", got, c.redirect)
			}
			if tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || tok.ExpiresAt.IsZero() {
				t.Errorf("tokens: refresh %v, type %q, expires_in %d, expires_at %v",
					tok.RefreshToken != "", tok.TokenType, tok.ExpiresIn, tok.ExpiresAt)
			}
			if tok.Username != user {
				t.Errorf("Username = %q, want %q", tok.Username, user)
			}
			id := oauthTVerify(t, ctx, tok.IDToken, pool.JWKSURL, pool.Issuer)
			if id["cognito:username"] != user || id["token_use"] != "id" || id["aud"] != c.clientID {
				t.Errorf("id token cognito:username=%v token_use=%v aud=%v; want %s id %s",
					id["cognito:username"], id["token_use"], id["aud"], user, c.clientID)
			}
			acc := oauthTVerify(t, ctx, tok.AccessToken, pool.JWKSURL, pool.Issuer)
			if acc["token_use"] != "access" || acc["client_id"] != c.clientID || acc["username"] != user {
				t.Errorf("access token token_use=%v client_id=%v username=%v", acc["token_use"], acc["client_id"], acc["username"])
			}
			if _, _, _, err := loginTGet(c.redirect); err == nil {
				t.Errorf("the callback server still answers after Login returned")
			}
		})
	}
}

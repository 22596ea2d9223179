package flows

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// DefaultLoginTimeout is how long Login waits for the browser when
// LoginParams.Timeout is zero.
const DefaultLoginTimeout = 2 * time.Minute

// DefaultLoginPort is the callback port cogtool's commands use when no
// redirect URI is given: Cognito requires the callback URL to match one of
// the app client's callback URLs exactly, port included, so a port picked
// at random could never be registered. The default redirect URI is
// http://localhost:8976/callback.
const DefaultLoginPort = 8976

// DefaultLoginScopes are requested when LoginParams.Scopes is empty.
var DefaultLoginScopes = []string{"openid", "email", "profile"}

// LoginParams are the inputs of the hosted-UI sign-in.
type LoginParams struct {
	// Domain is the hosted UI's base URL: https://x.auth.us-east-1.amazoncognito.com,
	// a custom domain, or http://127.0.0.1:PORT for an emulator.
	Domain                 string
	ClientID, ClientSecret string
	Scopes                 []string // default openid email profile
	// RedirectURI must be http on localhost, 127.0.0.1 or [::1] with an
	// explicit port, and must be one of the app client's callback URLs.
	// Default http://localhost:<Port>/callback.
	RedirectURI string
	// Port is the callback port when RedirectURI is empty; 0 picks a free
	// one (useful with emulators; Cognito needs the exact URL registered).
	Port        int
	OpenBrowser func(url string) error // nil = don't open
	ShowURL     func(url string)       // called with the authorize URL before waiting
	Timeout     time.Duration          // wait for the callback; 0 = DefaultLoginTimeout
	// Now is the clock the expiry is computed with; nil means time.Now.
	Now func() time.Time
}

// Login signs a user in through the hosted UI with the authorization code
// grant and PKCE (S256). It listens on the loopback redirect URI for one
// callback, shows (and optionally opens) the authorize URL, and exchanges
// the code at {Domain}/oauth2/token.
//
// The callback server answers 404 off the redirect path and 400 to a
// callback whose state is missing or wrong; it keeps waiting after a 400, so
// a stray or forged request cannot end the sign-in. An error= callback is
// exit.Auth (exit.Network for server_error or temporarily_unavailable). No
// callback within Timeout is exit.Network. The server is shut down before
// Login returns, whatever happens.
func Login(ctx context.Context, hc *http.Client, p LoginParams) (*Tokens, error) {
	domain, err := httpx.CheckURL("domain", p.Domain)
	if err != nil {
		return nil, err
	}
	if p.ClientID == "" {
		return nil, exit.Usagef("login: the client id is not set")
	}
	scopes := p.Scopes
	if len(scopes) == 0 {
		scopes = DefaultLoginScopes
	}
	if err := oauthCheckScopes(scopes); err != nil {
		return nil, err
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	redirect, err := loginRedirectURI(p.RedirectURI, p.Port)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(domain.Scheme+"://"+domain.Host+domain.EscapedPath(), "/")

	listeners, err := loginListen(redirect, p.RedirectURI == "" && p.Port == 0)
	if err != nil {
		return nil, err
	}
	if redirect.Port() == "0" {
		// A free port was picked: the redirect URI names it.
		redirect.Host = net.JoinHostPort(redirect.Hostname(), strconv.Itoa(listeners[0].Addr().(*net.TCPAddr).Port))
	}
	redirectURI := redirect.String()

	state, err := loginRandom(32)
	if err != nil {
		loginCloseAll(listeners)
		return nil, err
	}
	verifier, err := loginRandom(32)
	if err != nil {
		loginCloseAll(listeners)
		return nil, err
	}
	style := oauth2.AuthStyleInParams
	if p.ClientSecret != "" {
		style = oauth2.AuthStyleInHeader
	}
	cfg := oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth2/authorize",
			TokenURL:  base + "/oauth2/token",
			AuthStyle: style,
		},
		RedirectURL: redirectURI,
		Scopes:      scopes,
	}
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	cb := &loginCallback{path: loginPath(redirect), state: state, done: make(chan loginResult, 1)}
	srv := &http.Server{
		Handler:           cb,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // never print to the user's terminal
	}
	var wg sync.WaitGroup
	for _, l := range listeners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = srv.Serve(l) // ends with ErrServerClosed at shutdown
		}()
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		wg.Wait()
	}()

	if p.ShowURL != nil {
		p.ShowURL(authURL)
	}
	if p.OpenBrowser != nil {
		// Not fatal: the URL was shown. In a goroutine so that an opener
		// that hangs cannot outlast the timeout.
		go func() { _ = p.OpenBrowser(authURL) }()
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var res loginResult
	select {
	case res = <-cb.done:
	case <-timer.C:
		return nil, exit.Networkf("no callback from the browser within %s: is %s among the app client's callback URLs (exactly, port included)?", timeout, redirectURI)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, exit.Networkf("timed out waiting for the browser callback")
		}
		return nil, &exit.Error{Code: exit.Interrupted, Err: fmt.Errorf("login: interrupted: %w", context.Canceled)}
	}
	if res.errCode != "" {
		code := exit.Auth
		if oauthServerSideCodes[res.errCode] {
			code = exit.Network
		}
		return nil, &exit.Error{Code: code, AWSError: res.errCode,
			Err: fmt.Errorf("authorization server refused the sign-in: %s", oauthRefusal(res.errCode, res.errDesc, p.ClientSecret, verifier))}
	}

	rec := &oauthRecorder{}
	tok, err := cfg.Exchange(rec.context(ctx, hc), res.code,
		oauth2.VerifierOption(verifier),
		// Cognito wants client_id in the form even when the secret goes
		// in the Basic header; public clients have only this.
		oauth2.SetAuthURLParam("client_id", p.ClientID))
	if err != nil {
		return nil, oauthTokenError(cfg.Endpoint.TokenURL, rec, err, p.ClientSecret, verifier, res.code)
	}
	return oauthTokens(tok, p.Now), nil
}

// loginRedirectURI validates (or builds) the redirect URI. Port 0 in the
// result means "pick a free port".
func loginRedirectURI(raw string, port int) (*url.URL, error) {
	if port < 0 || port > 65535 {
		return nil, exit.Usagef("callback port %d is out of range", port)
	}
	if raw == "" {
		return &url.URL{Scheme: "http", Host: net.JoinHostPort("localhost", strconv.Itoa(port)), Path: "/callback"}, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, exit.Usagef("redirect URI %q must be an http URL on localhost, 127.0.0.1 or [::1]", raw)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, exit.Usagef("redirect URI %s must be on a loopback host (localhost, 127.0.0.1 or [::1]) for cogtool to receive the callback", raw)
	}
	n, err := strconv.Atoi(u.Port())
	if err != nil || n <= 0 || n > 65535 {
		return nil, exit.Usagef("redirect URI %s needs an explicit port (like http://localhost:8976/callback)", raw)
	}
	if port != 0 && port != n {
		return nil, exit.Usagef("callback port %d conflicts with the redirect URI's port %d", port, n)
	}
	if u.User != nil || u.Fragment != "" {
		return nil, exit.Usagef("redirect URI %s must not have user info or a fragment", raw)
	}
	return u, nil
}

// loginListen opens the callback listener(s) on exactly the redirect URI's
// host. For localhost that is both 127.0.0.1 and [::1] on one port, since
// a browser may resolve localhost to either: if [::1] exists but cannot be
// bound (another program, perhaps another user's, holds the port there),
// the sign-in fails rather than let the browser deliver the code to it.
// Only a machine with no IPv6 loopback at all, where no one can listen
// on [::1], is served on 127.0.0.1 alone.
func loginListen(redirect *url.URL, picked bool) ([]net.Listener, error) {
	host, port := redirect.Hostname(), redirect.Port()
	bind := host
	localhost := strings.EqualFold(host, "localhost")
	if localhost {
		bind = "127.0.0.1"
	}
	first, err := net.Listen("tcp", net.JoinHostPort(bind, port))
	if err != nil {
		if picked {
			return nil, exit.New(exit.Unexpected, "listen for the browser callback on %s: %w", bind, err)
		}
		return nil, exit.Usagef("listen for the browser callback on %s: %w (is the port in use?)", redirect.Host, err)
	}
	ls := []net.Listener{first}
	if localhost {
		p := strconv.Itoa(first.Addr().(*net.TCPAddr).Port)
		l6, err := net.Listen("tcp", net.JoinHostPort("::1", p))
		switch {
		case err == nil:
			ls = append(ls, l6)
		case noIPv6Loopback(err):
		default:
			first.Close()
			return nil, exit.Usagef("listen for the browser callback on [::1]:%s: %v; localhost may resolve there, so another program holding it could receive the sign-in code (free the port, or use --redirect-uri http://127.0.0.1:%s/... registered on the app client)",
				p, errors.Unwrap(err), p)
		}
	}
	return ls, nil
}

// noIPv6Loopback reports an error that means this machine has no [::1] to
// listen on (so no one else can listen there either).
func noIPv6Loopback(err error) bool {
	return errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPROTONOSUPPORT)
}

func loginCloseAll(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}

func loginPath(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// loginRandom returns n bytes from crypto/rand as base64url without padding.
func loginRandom(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", exit.New(exit.Unexpected, "read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type loginResult struct {
	code             string
	errCode, errDesc string
}

// loginCallback serves the redirect URI and hands over the first callback
// that carries the right state.
type loginCallback struct {
	path  string
	state string
	done  chan loginResult // buffered: receives exactly one result
	mu    sync.Mutex
	used  bool
}

func (c *loginCallback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the URL holds the code
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path != c.path {
		loginPage(w, http.StatusNotFound, "Not found", "This is cogtool's sign-in callback; nothing lives here.")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		loginPage(w, http.StatusMethodNotAllowed, "Method not allowed", "The sign-in callback takes GET only.")
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(c.state)) != 1 {
		loginPage(w, http.StatusBadRequest, "Sign-in not accepted",
			"The state parameter is missing or does not match this sign-in; cogtool is still waiting for the right callback.")
		return
	}
	res := loginResult{code: q.Get("code"), errCode: redact.Shorten(q.Get("error"), 64), errDesc: q.Get("error_description")}
	if res.errCode == "" && res.code == "" {
		loginPage(w, http.StatusBadRequest, "Sign-in not accepted", "The callback carries neither a code nor an error.")
		return
	}
	c.mu.Lock()
	first := !c.used
	c.used = true
	c.mu.Unlock()
	if !first {
		loginPage(w, http.StatusConflict, "Already done", "This sign-in has already received its callback. You can close this tab.")
		return
	}
	if res.errCode != "" {
		loginPage(w, http.StatusOK, "Sign-in failed",
			"The sign-in was refused: "+oauthRefusal(res.errCode, res.errDesc)+". You can close this tab.")
	} else {
		loginPage(w, http.StatusOK, "Signed in", "Signed in to cogtool. You can close this tab.")
	}
	c.done <- res
}

func loginPage(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>cogtool: %s</title></head>\n<body><p>%s</p></body></html>\n",
		html.EscapeString(title), html.EscapeString(msg))
}

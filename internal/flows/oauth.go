package flows

import (
	"context"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// ClientCredentialsParams are the inputs of the OAuth2 client_credentials
// grant at a Cognito domain's /oauth2/token.
type ClientCredentialsParams struct {
	TokenURL, ClientID, ClientSecret string
	Scopes                           []string
	// AuthMethod is how the client authenticates: "basic" (HTTP Basic, the
	// default, what Cognito documents) or "post" (client_id and
	// client_secret in the form body).
	AuthMethod string
	// Now is the clock the expiry is computed with; nil means time.Now.
	Now func() time.Time
}

// ClientCredentials runs the client_credentials grant. hc carries the
// request (nil means http.DefaultClient). The token endpoint must be https,
// or plain http to loopback (an emulator): a client secret never crosses the
// network in clear.
//
// A refusal by the endpoint (invalid_client, invalid_scope, ...) is an
// *exit.Error with code exit.Auth and AWSError set to the OAuth error code; a
// network failure, a timeout, 5xx, 429 or a reply that is not a token is
// exit.Network; bad parameters are exit.Usage.
func ClientCredentials(ctx context.Context, hc *http.Client, p ClientCredentialsParams) (*Tokens, error) {
	if _, err := httpx.CheckURL("token URL", p.TokenURL); err != nil {
		return nil, err
	}
	if p.ClientID == "" {
		return nil, exit.Usagef("client credentials: the client id is not set")
	}
	if p.ClientSecret == "" {
		return nil, exit.Usagef("client credentials: the app client's secret is not set (the grant needs a client with a secret)")
	}
	if err := oauthCheckScopes(p.Scopes); err != nil {
		return nil, err
	}
	style, err := oauthAuthStyle(p.AuthMethod)
	if err != nil {
		return nil, err
	}
	cfg := clientcredentials.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		TokenURL:     p.TokenURL,
		Scopes:       p.Scopes,
		AuthStyle:    style,
	}
	rec := &oauthRecorder{}
	tok, err := cfg.Token(rec.context(ctx, hc))
	if err != nil {
		return nil, withClientCredentialsHint(oauthTokenError(p.TokenURL, rec, err, p.ClientSecret), p)
	}
	return oauthTokens(tok, p.Now), nil
}

// withClientCredentialsHint adds the likely causes to a refusal by the
// token endpoint. The error codes are those of RFC 6749 section 5.2, as
// Cognito's token endpoint documents them ("The token issuer endpoint",
// developer guide: invalid_client, unauthorized_client, invalid_scope).
func withClientCredentialsHint(err error, p ClientCredentialsParams) error {
	var ee *exit.Error
	if !errors.As(err, &ee) || ee.Code != exit.Auth {
		return err
	}
	var hint string
	switch ee.AWSError {
	case "invalid_scope":
		if len(p.Scopes) == 0 {
			hint = "no scope was asked, so Cognito used the client's allowed scopes: give --scope RESOURCE_SERVER/SCOPE"
		} else {
			hint = fmt.Sprintf("scopes asked: %s; each must be a custom scope (resource-server-identifier/scope-name) of the pool's resource servers and allowed on app client %s",
				strings.Join(p.Scopes, " "), p.ClientID)
		}
	case "invalid_client":
		hint = fmt.Sprintf("likely causes: a wrong or rotated client secret; app client %s has no secret, or belongs to another pool or region; or the client authenticates in the body (try --auth-method post)", p.ClientID)
	case "unauthorized_client":
		hint = fmt.Sprintf("app client %s is not allowed the client_credentials grant: enable Client credentials among its OAuth grant types (AllowedOAuthFlows) with at least one custom scope", p.ClientID)
	default:
		return err
	}
	ee.Err = fmt.Errorf("%w; %s", ee.Err, hint)
	return ee
}

func oauthAuthStyle(method string) (oauth2.AuthStyle, error) {
	switch strings.ToLower(strings.TrimSpace(method)) {
	case "", "basic", "client_secret_basic":
		return oauth2.AuthStyleInHeader, nil
	case "post", "client_secret_post":
		return oauth2.AuthStyleInParams, nil
	default:
		return 0, exit.Usagef("unknown client authentication method %q: want basic or post", method)
	}
}

// oauthCheckScopes refuses scopes the form encoding would silently split or
// merge: the scope parameter is one space-separated string.
func oauthCheckScopes(scopes []string) error {
	for _, s := range scopes {
		if s == "" {
			return exit.Usagef("empty scope: give each scope as its own value")
		}
		if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
			return exit.Usagef("scope %q contains white space: give each scope as its own value", s)
		}
	}
	return nil
}

// oauthTokens converts what x/oauth2 parsed into Tokens. The username, when
// the reply carries a token with one, only labels the result (cache key); it
// is read without verifying anything.
//
// x/oauth2 sets tok.Expiry from expires_in with its own time.Now, and takes
// no clock. ExpiresAt is computed here instead, from expires_in with now
// (nil: time.Now), cogtool's clock, so that it agrees with every other time
// of the run and tests can fix it; without expires_in it stays zero, as
// tok.Expiry would (the token source then reads the token's exp).
func oauthTokens(tok *oauth2.Token, now func() time.Time) *Tokens {
	t := &Tokens{
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		TokenType:    tok.TokenType,
	}
	if id, ok := tok.Extra("id_token").(string); ok {
		t.IDToken = id
	}
	// clientcredentials drops Token.ExpiresIn; the raw reply still has it.
	secs := tok.ExpiresIn
	if secs <= 0 {
		secs = oauthExpiresIn(tok.Extra("expires_in"))
	}
	if secs > 0 {
		t.ExpiresIn = int32(min(secs, math.MaxInt32))
		if now == nil {
			now = time.Now
		}
		t.ExpiresAt = now().Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	t.Username = oauthPeekUsername(t.IDToken, "cognito:username")
	if t.Username == "" {
		t.Username = oauthPeekUsername(t.AccessToken, "username")
	}
	return t
}

// oauthExpiresIn reads expires_in as JSON gives it (number or, for some
// servers, a string) or as a form reply gives it.
func oauthExpiresIn(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n
	}
	return 0
}

// oauthPeekUsername returns a string claim from a JWT's payload, or "".
func oauthPeekUsername(token, claim string) string {
	var claims map[string]any
	if !decode.Peek(token, &claims) {
		return ""
	}
	s, _ := claims[claim].(string)
	return s
}

// oauthRecorder notes the status and content type of the last reply the
// token endpoint sent, so that a reply x/oauth2 could not parse (a proxy's
// HTML page) can be described without quoting its body.
type oauthRecorder struct {
	mu     sync.Mutex
	status int
	ctype  string
	base   http.RoundTripper
}

// context returns ctx carrying a copy of hc whose transport records replies,
// the way x/oauth2 expects to be given its client.
func (r *oauthRecorder) context(ctx context.Context, hc *http.Client) context.Context {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	r.base = hc.Transport
	if r.base == nil {
		r.base = http.DefaultTransport
	}
	c.Transport = r
	return context.WithValue(ctx, oauth2.HTTPClient, &c)
}

func (r *oauthRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.status = resp.StatusCode
		r.ctype, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
		r.mu.Unlock()
	}
	return resp, err
}

func (r *oauthRecorder) last() (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.ctype
}

// oauthServerSideCodes are OAuth error codes that say the server failed,
// not that it refused the client.
var oauthServerSideCodes = map[string]bool{
	"server_error":            true,
	"temporarily_unavailable": true,
	"slow_down":               true,
}

// oauthTokenError maps a failed token request to an *exit.Error. It never
// quotes the request (secret, Basic header) nor a reply body (tokens).
func oauthTokenError(tokenURL string, rec *oauthRecorder, err error, secrets ...string) error {
	where := "token endpoint " + oauthDisplayURL(tokenURL)
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		ctype := ""
		if re.Response != nil {
			status = re.Response.StatusCode
			ctype, _, _ = mime.ParseMediaType(re.Response.Header.Get("Content-Type"))
		}
		code := redact.Shorten(re.ErrorCode, 64)
		switch {
		case status == http.StatusTooManyRequests:
			return &exit.Error{Code: exit.Network, AWSError: code, Err: fmt.Errorf("%s is throttling requests (HTTP 429); try again later", where)}
		case status >= 500 || oauthServerSideCodes[code]:
			msg := fmt.Sprintf("%s failed: HTTP %d", where, status)
			if code != "" {
				msg += ": " + oauthRefusal(code, re.ErrorDescription, secrets...)
			}
			return &exit.Error{Code: exit.Network, AWSError: code, Err: errors.New(msg)}
		case code != "":
			return &exit.Error{Code: exit.Auth, AWSError: code, Err: fmt.Errorf("token endpoint refused the request: %s", oauthRefusal(code, re.ErrorDescription, secrets...))}
		default:
			return exit.Networkf("%s: HTTP %d reply (%s) is not an OAuth reply; is the token URL right?", where, status, oauthDescribeType(ctype))
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// No reply: refused, reset, DNS, TLS, timeout or interrupted.
		return httpx.Describe(where, err)
	}
	if strings.HasPrefix(err.Error(), "oauth2: cannot fetch token:") {
		// x/oauth2 flattens a failed body read into text.
		return exit.Networkf("%s: the reply was cut off", where)
	}
	if status, ctype := rec.last(); status != 0 {
		// A 2xx reply x/oauth2 could not read: HTML, not JSON, no access_token.
		return exit.Networkf("%s: HTTP %d reply (%s) is not a token", where, status, oauthDescribeType(ctype))
	}
	return httpx.Describe(where, err)
}

func oauthRefusal(code, description string, secrets ...string) string {
	if d := redact.Shorten(description, 300, secrets...); d != "" {
		return code + ": " + d
	}
	return code
}

func oauthDescribeType(ctype string) string {
	if ctype == "" {
		return "no content type"
	}
	return redact.Shorten(ctype, 64)
}

// oauthDisplayURL names the token endpoint in messages (httpx.Endpoint).
func oauthDisplayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return httpx.Endpoint(u)
}

// Package tokens is the token source: for one flow, app client and user it
// returns tokens through the cache, reusing a fresh cached token, else
// refreshing an expired one that has a refresh token, else running the flow
// again. It owns the cache key, the forced refetch (an API refused a cached
// token), the refresh and revoke of a user's refresh token, and the lookup
// of a user's cached tokens.
//
// It knows nothing of flags or terminals: the inputs a flow may need (the
// password, challenge answers, a browser) are injected as functions and
// interfaces, the way flows.Answerer is. It never writes a password or a
// client secret anywhere: the cache entry has no field for either.
package tokens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/redact"
)

// The flows a Source runs.
const (
	ClientCredentials = "client-credentials"
	Password          = "password"
	SRP               = "srp"
	Login             = "login"
	OTP               = "otp"    // USER_AUTH with a one-time code (Params.Channel)
	Custom            = "custom" // CUSTOM_AUTH: Password or SRP with Params.AuthFlow "custom"
)

// userFlows are the flows whose cached tokens carry a refresh token, in
// the order CachedUser looks them up.
var userFlows = []string{Password, SRP, OTP, Custom, Login}

// Where a Result's tokens came from.
const (
	FromCache = "cache"     // a cached token with more than MinTTL left
	Fetched   = "fetched"   // the flow ran
	Refreshed = "refreshed" // a refresh token was traded for new tokens
)

// ErrNoRefreshToken is returned by Refresh and Revoke when no refresh token
// was given and none is cached for the user and client.
var ErrNoRefreshToken = errors.New("no cached refresh token for this user and client")

// Params say which tokens a Source gets. They are resolved settings: the
// caller has checked what its command requires.
type Params struct {
	Flow string // client-credentials, password, srp, otp or login
	// AuthFlow picks how password and srp sign in: "" (or the flow's own
	// name) for USER_PASSWORD_AUTH / USER_SRP_AUTH, "user-auth" for
	// USER_AUTH with PASSWORD / PASSWORD_SRP, "custom" for CUSTOM_AUTH.
	AuthFlow string
	Channel  string // otp: email or sms

	Region, EndpointURL string // the user-pool API (password, srp, refresh, revoke)
	UserPoolID          string
	ClientID            string
	ClientSecret        string // "" for a public app client
	Username            string // password, srp; names the cached user
	Scopes              []string

	TokenURL   string // client-credentials
	AuthMethod string // client-credentials: basic or post

	Domain      string        // login: the hosted UI
	RedirectURI string        // login
	Port        int           // login
	Timeout     time.Duration // login: how long to wait for the browser

	// MinTTL is how much life a cached token must have left to be reused.
	MinTTL time.Duration
}

// Inputs supply what a flow asks for while it runs; each is called only
// when the flow needs it, never for a cached token.
type Inputs struct {
	// Password returns the user's password (password and srp flows).
	Password func(ctx context.Context) (string, error)
	// GivenPassword returns the password when it was given without a
	// prompt (--password-stdin, $COGTOOL_PASSWORD), "" otherwise: a cached
	// token is then reused only when that password obtained it.
	GivenPassword func() (string, error)
	// Answer answers challenges; nil fails a challenge with exit code 7.
	Answer flows.Answerer
	// ShowURL and OpenBrowser carry the hosted-UI sign-in's URL to the
	// user (login); a nil OpenBrowser only shows it.
	ShowURL     func(url string)
	OpenBrowser func(url string) error
	// SignInAgain says whether the flow may run after a cached refresh
	// token was refused: false when it would need a person (a prompt, a
	// browser) and nobody asked for a sign-in. Nil means yes.
	SignInAgain func() bool
}

// Source gets tokens for one Params.
type Source struct {
	Params Params
	Inputs Inputs
	// Cache stores tokens between runs; nil, or one with NoCache set,
	// bypasses it (no read, no write, no lock).
	Cache *cache.Cache
	// HTTP is the client for the token endpoint (client-credentials,
	// login); nil means http.DefaultClient.
	HTTP func() *http.Client
	// IDP builds the unsigned user-pool API client (password, srp,
	// refresh, revoke).
	IDP func() (*cognito.Client, error)
	// Busy, when set, is called as a network fetch starts; the function it
	// returns is called when it ends (a spinner). Cached tokens never call it.
	Busy func(what string) (done func())
	// PendingStore keeps challenges saved for Respond; nil means the
	// token cache's (cache.Cache.Pending). It is set apart so that
	// --no-cache, which bypasses the tokens, still saves a challenge.
	PendingStore *cache.Cache
	// Warn receives problems that do not stop the command (a cache that
	// cannot be written); nil discards them.
	Warn func(msg string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Secrets is the run's redaction set, shared: every token the Source
	// returns, reads from the cache or is given, and the Session of every
	// challenge it meets, is added to it, so that no later error or trace
	// prints them. Nil adds nothing.
	Secrets *redact.Set

	bindingKey   []byte // the cache's binding key, once accept has read it
	usedPassword string // the password the flow signed in with, if any
}

// Result is a token set and where it came from.
type Result struct {
	*cache.Entry
	// Source is FromCache, Fetched or Refreshed.
	Source string
	// Via names the operation that refreshed (GetTokensFromRefreshToken or
	// REFRESH_TOKEN_AUTH) when Source is Refreshed.
	Via string
	// RefreshRefused is the refresh that failed before the flow ran again
	// (Source Fetched), nil when there was none.
	RefreshRefused error
}

// Get returns tokens for s.Params: a cached token with more than MinTTL
// left; else, under the cache key's lock (so parallel runs fetch once),
// the cached tokens refreshed when they carry a refresh token; else, or
// when the refresh fails, the tokens of a new run of the flow, which are
// cached.
func (s *Source) Get(ctx context.Context) (*Result, error) {
	r := &Result{}
	accept, fetch, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	e, fromCache, err := s.Cache.FetchIf(ctx, s.Key(), s.Params.MinTTL, accept, fetch)
	if err != nil {
		return nil, err
	}
	r.Entry = s.keep(e)
	if fromCache {
		r.Source = FromCache
	}
	return r, nil
}

// ForceRefetch is Get for when the cached token was refused (an API
// answered 401): the cached entry is not reused however fresh it looks,
// but is refreshed when it can be, else the flow runs again.
func (s *Source) ForceRefetch(ctx context.Context) (*Result, error) {
	r := &Result{}
	accept, fetch, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	e, err := s.Cache.Refetch(ctx, s.Key(), func(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
		if stale != nil && accept != nil && !accept(stale) {
			stale = nil // obtained with other credentials: not even refreshed
		}
		return fetch(ctx, stale)
	})
	if err != nil {
		return nil, err
	}
	r.Entry = s.keep(e)
	return r, nil
}

// prepare returns what Get and ForceRefetch hand the cache: the test a
// cached entry must pass to be used (nil: any), and the fetch function,
// which notes in r where its tokens came from.
func (s *Source) prepare(r *Result) (accept func(*cache.Entry) bool, fetch func(context.Context, *cache.Entry) (*cache.Entry, error), err error) {
	run, err := s.runner()
	if err != nil {
		return nil, nil, err
	}
	if accept, err = s.accept(); err != nil {
		return nil, nil, err
	}
	return accept, s.fetcher(run, r), nil
}

// fetcher is the cache's fetch function: refresh the stale entry when it
// has a refresh token, else (or when that fails and Inputs.SignInAgain
// allows) run the flow. It notes in r which of the two gave the tokens. A
// challenge the flow stopped at for want of an answer is saved for
// Respond (SavePending).
func (s *Source) fetcher(run func(context.Context) (*flows.Tokens, error), r *Result) func(context.Context, *cache.Entry) (*cache.Entry, error) {
	return func(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
		if s.Busy != nil {
			defer s.Busy("getting a token")()
		}
		s.keep(stale)
		if stale != nil && stale.RefreshToken != "" && s.Params.Flow != ClientCredentials {
			e, via, err := s.refresh(ctx, stale)
			if err == nil {
				r.Source, r.Via = Refreshed, via
				e.Binding = stale.Binding // the same credentials: Get accepted it
				return e, nil
			}
			// A refresh that fails (revoked, expired, rotated) falls back to
			// the full flow only where that needs nobody at the keyboard, or
			// somebody asked for it.
			if s.Inputs.SignInAgain != nil && !s.Inputs.SignInAgain() {
				return nil, fmt.Errorf("%w; sign in again with 'cogtool token %s'", err, s.Params.Flow)
			}
			r.RefreshRefused = err
		}
		t, err := run(ctx)
		if err != nil {
			return nil, s.SavePending(ctx, err)
		}
		r.Source = Fetched
		e := s.entry(t, s.cacheFlow(), s.scopes())
		e.Binding = s.bindingFor(s.usedPassword)
		return e, nil
	}
}

// accept returns the cache's test of an entry: it answers only for the
// client secret and the given password that obtained it (nil without a
// cache). See cache.Entry.Bound and SECURITY.md.
func (s *Source) accept() (func(*cache.Entry) bool, error) {
	if s.Cache == nil || s.Cache.NoCache {
		return nil, nil
	}
	key, err := s.Cache.BindingKey()
	if err != nil {
		s.warn("warning: " + err.Error() + "; cached tokens are not reused")
		return func(*cache.Entry) bool { return false }, nil
	}
	s.bindingKey = key
	secret := ""
	if s.Params.ClientSecret != "" {
		secret = cache.SecretBinding(key, s.Params.ClientID, s.Params.ClientSecret)
	}
	password := ""
	if s.Inputs.GivenPassword != nil && (s.Params.Flow == Password || s.Params.Flow == SRP) {
		if password, err = s.Inputs.GivenPassword(); err != nil {
			return nil, err
		}
	}
	return func(e *cache.Entry) bool { return e.Bound(key, secret, password) }, nil
}

// bindingFor is the binding of fetched tokens: the client secret's, and
// the password's when the flow used one.
func (s *Source) bindingFor(password string) string {
	if s.bindingKey == nil {
		return ""
	}
	secret := ""
	if s.Params.ClientSecret != "" {
		secret = cache.SecretBinding(s.bindingKey, s.Params.ClientID, s.Params.ClientSecret)
	}
	pw := ""
	if password != "" {
		var err error
		if pw, err = cache.PasswordBinding(s.bindingKey, password); err != nil {
			s.warn("warning: " + err.Error())
		}
	}
	return cache.JoinBinding(secret, pw)
}

// cacheFlow is the flow's name in the cache key: USER_AUTH with a password
// gets the same tokens as the password flow; CUSTOM_AUTH its own.
func (s *Source) cacheFlow() string {
	if s.Params.AuthFlow == Custom && (s.Params.Flow == Password || s.Params.Flow == SRP) {
		return Custom
	}
	return s.Params.Flow
}

// Key is the cache key of s.Params: tokens are cached per endpoint, pool,
// client, flow, username and scopes.
func (s *Source) Key() cache.Key { return s.keyFor(s.cacheFlow(), s.scopes()) }

func (s *Source) keyFor(flow string, scopes []string) cache.Key {
	p := s.Params
	endpoint := p.EndpointURL
	switch {
	case flow == ClientCredentials || flow == Login:
		endpoint = p.TokenURL
	case endpoint == "":
		endpoint = "cognito-idp." + p.Region
	}
	user := p.Username
	if flow == ClientCredentials {
		user = ""
	}
	return cache.Key{Endpoint: endpoint, Pool: p.UserPoolID, Client: p.ClientID, Flow: flow, Username: user, Scopes: scopes}
}

// scopes are the scopes the flow requests: none for the InitiateAuth
// flows, flows.DefaultLoginScopes for a login that names none.
func (s *Source) scopes() []string { return scopesFor(s.Params.Flow, s.Params.Scopes) }

func scopesFor(flow string, scopes []string) []string {
	switch flow {
	case Password, SRP, OTP, Custom:
		return nil
	case Login:
		if len(scopes) == 0 {
			return flows.DefaultLoginScopes
		}
	}
	return scopes
}

// runner returns the function that runs s.Params.Flow.
func (s *Source) runner() (func(context.Context) (*flows.Tokens, error), error) {
	p := s.Params
	switch p.Flow {
	case ClientCredentials:
		return func(ctx context.Context) (*flows.Tokens, error) {
			return flows.ClientCredentials(ctx, s.httpClient(), flows.ClientCredentialsParams{
				TokenURL: p.TokenURL, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
				Scopes: s.scopes(), AuthMethod: p.AuthMethod, Now: s.now})
		}, nil
	case Password, SRP, OTP:
		return func(ctx context.Context) (*flows.Tokens, error) {
			c, err := s.flowsClient()
			if err != nil {
				return nil, err
			}
			ap := flows.AuthParams{PoolID: p.UserPoolID, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
				Username: p.Username, Answer: s.Inputs.Answer, UserAuth: p.AuthFlow == "user-auth"}
			switch {
			case p.Flow == OTP:
				return c.OTP(ctx, ap, p.Channel)
			case p.AuthFlow == Custom:
				return c.Custom(ctx, ap)
			}
			if s.Inputs.Password == nil {
				return nil, exit.Usagef("no password")
			}
			pw, err := s.Inputs.Password(ctx)
			if err != nil {
				return nil, err
			}
			ap.Password = pw
			s.usedPassword = pw
			if p.Flow == SRP {
				return c.SRP(ctx, ap)
			}
			return c.Password(ctx, ap)
		}, nil
	case Login:
		return func(ctx context.Context) (*flows.Tokens, error) {
			return flows.Login(ctx, s.httpClient(), flows.LoginParams{
				Domain: p.Domain, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Scopes: s.scopes(),
				RedirectURI: p.RedirectURI, Port: p.Port, Timeout: p.Timeout,
				ShowURL: s.Inputs.ShowURL, OpenBrowser: s.Inputs.OpenBrowser, Now: s.now})
		}, nil
	}
	return nil, exit.Usagef("unknown flow %q (want client-credentials, password, srp, otp or login)", p.Flow)
}

// CachedUser returns the cached tokens, with a refresh token, of the user
// and client of s.Params, from whichever user flow (password, srp, login)
// cached them; nil when there are none.
func (s *Source) CachedUser() (cache.Key, *cache.Entry, error) {
	for _, flow := range userFlows {
		key := s.keyFor(flow, scopesFor(flow, s.Params.Scopes))
		if e, err := s.Cache.Get(key); err == nil && e != nil && e.RefreshToken != "" {
			return key, s.keep(e), nil
		}
	}
	return cache.Key{}, nil, nil
}

// Refresh trades a refresh token for new access and ID tokens
// (REFRESH_TOKEN_AUTH): refreshToken, or when it is "" the one cached for
// the user and client (ErrNoRefreshToken when there is none), in which
// case the cache is updated. The Result's Source is Refreshed.
func (s *Source) Refresh(ctx context.Context, refreshToken string) (*Result, error) {
	var (
		key   cache.Key
		old   *cache.Entry
		found bool
	)
	if refreshToken != "" {
		old = s.keep(&cache.Entry{RefreshToken: refreshToken, Username: s.Params.Username, Flow: Password})
	} else {
		k, e, err := s.CachedUser()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return nil, ErrNoRefreshToken
		}
		key, old, found = k, e, true
	}
	e, via, err := s.refresh(ctx, old)
	if err != nil {
		return nil, err
	}
	if found {
		if err := s.Cache.Put(key, e); err != nil {
			s.warn("warning: could not write the token cache: " + err.Error())
		}
	}
	return &Result{Entry: s.keep(e), Source: Refreshed, Via: via}, nil
}

// User returns the cached tokens of the user and client, for commands that
// act as the user (change-password, whoami) and never sign in: as cached
// while the access token has more than Params.MinTTL left, else refreshed
// and cached again. ErrNoRefreshToken when none are cached.
func (s *Source) User(ctx context.Context) (*Result, error) {
	key, e, err := s.CachedUser()
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, ErrNoRefreshToken
	}
	if e.AccessToken != "" && e.TTL(s.now()) > s.Params.MinTTL {
		return &Result{Entry: s.keep(e), Source: FromCache}, nil
	}
	fresh, via, err := s.refresh(ctx, e)
	if err != nil {
		return nil, err
	}
	if err := s.Cache.Put(key, fresh); err != nil {
		s.warn("warning: " + err.Error())
	}
	return &Result{Entry: s.keep(fresh), Source: Refreshed, Via: via}, nil
}

// Revoke revokes a refresh token (RevokeToken) and with it the access and
// ID tokens issued from it: refreshToken, or when it is "" the one cached
// for the user and client (ErrNoRefreshToken when there is none). Cached
// tokens that carry the revoked refresh token are deleted.
func (s *Source) Revoke(ctx context.Context, refreshToken string) error {
	key, e, err := s.CachedUser()
	if err != nil {
		return err
	}
	if refreshToken == "" && e != nil {
		refreshToken = e.RefreshToken
	}
	if refreshToken == "" {
		return ErrNoRefreshToken
	}
	s.Secrets.Add(refreshToken)
	c, err := s.flowsClient()
	if err != nil {
		return err
	}
	if err := c.Revoke(ctx, s.Params.ClientID, s.Params.ClientSecret, refreshToken); err != nil {
		return err
	}
	if e != nil && e.RefreshToken == refreshToken {
		if err := s.Cache.Delete(key); err != nil {
			s.warn("warning: could not delete the cached tokens: " + err.Error())
		}
	}
	return nil
}

// refresh refreshes a cached entry (GetTokensFromRefreshToken, else
// REFRESH_TOKEN_AUTH with SECRET_HASH over the internal username: the
// entry's, else its tokens' username / cognito:username claim), keeping
// its refresh token unless Cognito rotated it (the new one replaces it
// when the caller stores the entry, under the cache lock), its user and
// its device key. via names the operation that answered.
func (s *Source) refresh(ctx context.Context, old *cache.Entry) (e *cache.Entry, via string, err error) {
	p := s.Params
	if old.Flow == Login && p.Domain != "" {
		// Hosted-UI tokens refresh at the domain's token endpoint, which
		// needs no region.
		t, err := flows.OAuthRefresh(ctx, s.httpClient(), strings.TrimRight(p.Domain, "/")+"/oauth2/token", p.ClientID, p.ClientSecret, old.RefreshToken, s.now)
		if err != nil {
			return nil, "", err
		}
		if t.Username == "" {
			t.Username = old.Username
		}
		e := s.entry(t, old.Flow, old.Scopes)
		e.Binding = old.Binding // refreshed tokens answer for the same credentials
		return e, "/oauth2/token refresh_token", nil
	}
	c, err := s.flowsClient()
	if err != nil {
		return nil, "", err
	}
	user := old.Username
	if user == "" {
		user = internalUsername(old)
	}
	if user == "" {
		user = p.Username
	}
	t, err := c.Refresh(ctx, flows.RefreshParams{PoolID: p.UserPoolID, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		Username: user, RefreshToken: old.RefreshToken, DeviceKey: old.DeviceKey})
	if err != nil {
		return nil, "", err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	if t.Username == "" {
		t.Username = user
	}
	if t.DeviceKey == "" {
		t.DeviceKey, t.DeviceGroupKey = old.DeviceKey, old.DeviceGroupKey
	}
	e = s.entry(t, old.Flow, old.Scopes)
	e.Binding = old.Binding // refreshed tokens answer for the same credentials
	return e, t.Via, nil
}

// internalUsername reads the name Cognito knows the user by from cached
// tokens: the access token's username, else the ID token's cognito:username.
func internalUsername(e *cache.Entry) string {
	for _, tok := range []string{e.AccessToken, e.IDToken} {
		var c struct {
			Username string `json:"username"`
			CogUser  string `json:"cognito:username"`
		}
		if decode.Peek(tok, &c) {
			if c.Username != "" {
				return c.Username
			}
			if c.CogUser != "" {
				return c.CogUser
			}
		}
	}
	return ""
}

func (s *Source) flowsClient() (*flows.Client, error) {
	if s.IDP == nil {
		return nil, errors.New("tokens: no user-pool API client")
	}
	idp, err := s.IDP()
	if err != nil {
		return nil, err
	}
	return flows.NewClient(idp, s.now), nil
}

func (s *Source) httpClient() *http.Client {
	if s.HTTP == nil {
		return nil
	}
	return s.HTTP()
}

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Source) warn(msg string) {
	if s.Warn != nil {
		s.Warn(msg)
	}
}

// keep adds e's tokens to s.Secrets and returns e.
func (s *Source) keep(e *cache.Entry) *cache.Entry {
	if e != nil {
		s.Secrets.Add(e.AccessToken, e.IDToken, e.RefreshToken)
	}
	return e
}

// entry turns a flow's result into a cache entry.
func (s *Source) entry(t *flows.Tokens, flow string, scopes []string) *cache.Entry {
	now := s.now()
	e := &cache.Entry{
		AccessToken: t.AccessToken, IDToken: t.IDToken, RefreshToken: t.RefreshToken,
		TokenType: t.TokenType, ExpiresAt: t.ExpiresAt, Username: t.Username,
		Scopes: scopes, ClientID: s.Params.ClientID, Flow: flow, ObtainedAt: now,
		DeviceKey: t.DeviceKey, DeviceGroupKey: t.DeviceGroupKey,
	}
	if e.TokenType == "" {
		e.TokenType = "Bearer"
	}
	if e.ExpiresAt.IsZero() {
		e.ExpiresAt = expiry(t.AccessToken, now)
	}
	return e
}

// expiry reads exp from a JWT, falling back to an hour from now.
func expiry(tok string, now time.Time) time.Time {
	var c struct {
		Exp int64 `json:"exp"`
	}
	if decode.Peek(tok, &c) && c.Exp > 0 {
		return time.Unix(c.Exp, 0)
	}
	return now.Add(time.Hour)
}

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
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
)

// The flows a Source runs.
const (
	ClientCredentials = "client-credentials"
	Password          = "password"
	SRP               = "srp"
	Login             = "login"
)

// userFlows are the flows whose cached tokens carry a refresh token, in
// the order CachedUser looks them up.
var userFlows = []string{Password, SRP, Login}

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
	Flow string // client-credentials, password, srp or login

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
	// Answer answers challenges; nil fails a challenge with exit code 7.
	Answer flows.Answerer
	// ShowURL and OpenBrowser carry the hosted-UI sign-in's URL to the
	// user (login); a nil OpenBrowser only shows it.
	ShowURL     func(url string)
	OpenBrowser func(url string) error
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
	// Warn receives problems that do not stop the command (a cache that
	// cannot be written); nil discards them.
	Warn func(msg string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Result is a token set and where it came from.
type Result struct {
	*cache.Entry
	// Source is FromCache, Fetched or Refreshed.
	Source string
}

// Get returns tokens for s.Params: a cached token with more than MinTTL
// left; else, under the cache key's lock (so parallel runs fetch once),
// the cached tokens refreshed when they carry a refresh token; else, or
// when the refresh fails, the tokens of a new run of the flow, which are
// cached.
func (s *Source) Get(ctx context.Context) (*Result, error) {
	run, err := s.runner()
	if err != nil {
		return nil, err
	}
	var src string
	e, fromCache, err := s.Cache.Fetch(ctx, s.Key(), s.Params.MinTTL, s.fetcher(run, &src))
	if err != nil {
		return nil, err
	}
	if fromCache {
		src = FromCache
	}
	return &Result{Entry: e, Source: src}, nil
}

// ForceRefetch is Get for when the cached token was refused (an API
// answered 401): the cached entry is not reused however fresh it looks,
// but is refreshed when it can be, else the flow runs again.
func (s *Source) ForceRefetch(ctx context.Context) (*Result, error) {
	run, err := s.runner()
	if err != nil {
		return nil, err
	}
	var src string
	e, err := s.Cache.Refetch(ctx, s.Key(), s.fetcher(run, &src))
	if err != nil {
		return nil, err
	}
	return &Result{Entry: e, Source: src}, nil
}

// fetcher is the cache's fetch function: refresh the stale entry when it
// has a refresh token, else (or when that fails) run the flow. It notes in
// *src which of the two gave the tokens.
func (s *Source) fetcher(run func(context.Context) (*flows.Tokens, error), src *string) func(context.Context, *cache.Entry) (*cache.Entry, error) {
	return func(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
		if s.Busy != nil {
			defer s.Busy("getting a token")()
		}
		if stale != nil && stale.RefreshToken != "" && s.Params.Flow != ClientCredentials {
			if e, err := s.refresh(ctx, stale); err == nil {
				*src = Refreshed
				return e, nil
			}
			// A refresh that fails (revoked, expired) falls back to the full flow.
		}
		t, err := run(ctx)
		if err != nil {
			return nil, err
		}
		*src = Fetched
		return s.entry(t, s.Params.Flow, s.scopes()), nil
	}
}

// Key is the cache key of s.Params: tokens are cached per endpoint, pool,
// client, flow, username and scopes.
func (s *Source) Key() cache.Key { return s.keyFor(s.Params.Flow, s.scopes()) }

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
	case Password, SRP:
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
				Scopes: s.scopes(), AuthMethod: p.AuthMethod})
		}, nil
	case Password, SRP:
		return func(ctx context.Context) (*flows.Tokens, error) {
			c, err := s.flowsClient()
			if err != nil {
				return nil, err
			}
			if s.Inputs.Password == nil {
				return nil, exit.Usagef("no password")
			}
			pw, err := s.Inputs.Password(ctx)
			if err != nil {
				return nil, err
			}
			ap := flows.AuthParams{PoolID: p.UserPoolID, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
				Username: p.Username, Password: pw, Answer: s.Inputs.Answer}
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
				ShowURL: s.Inputs.ShowURL, OpenBrowser: s.Inputs.OpenBrowser})
		}, nil
	}
	return nil, exit.Usagef("unknown flow %q (want client-credentials, password, srp or login)", p.Flow)
}

// CachedUser returns the cached tokens, with a refresh token, of the user
// and client of s.Params, from whichever user flow (password, srp, login)
// cached them; nil when there are none.
func (s *Source) CachedUser() (cache.Key, *cache.Entry, error) {
	for _, flow := range userFlows {
		key := s.keyFor(flow, scopesFor(flow, s.Params.Scopes))
		if e, err := s.Cache.Get(key); err == nil && e != nil && e.RefreshToken != "" {
			return key, e, nil
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
		old = &cache.Entry{RefreshToken: refreshToken, Username: s.Params.Username, Flow: Password}
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
	e, err := s.refresh(ctx, old)
	if err != nil {
		return nil, err
	}
	if found {
		if err := s.Cache.Put(key, e); err != nil {
			s.warn("warning: could not write the token cache: " + err.Error())
		}
	}
	return &Result{Entry: e, Source: Refreshed}, nil
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
		return &Result{Entry: e, Source: FromCache}, nil
	}
	fresh, err := s.refresh(ctx, e)
	if err != nil {
		return nil, err
	}
	if err := s.Cache.Put(key, fresh); err != nil {
		s.warn("warning: " + err.Error())
	}
	return &Result{Entry: fresh, Source: Refreshed}, nil
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

// refresh runs REFRESH_TOKEN_AUTH for a cached entry, keeping its refresh
// token (Cognito does not return a new one) and its user.
func (s *Source) refresh(ctx context.Context, old *cache.Entry) (*cache.Entry, error) {
	p := s.Params
	if old.Flow == Login && p.Domain != "" {
		// Hosted-UI tokens refresh at the domain's token endpoint, which
		// needs no region.
		t, err := flows.OAuthRefresh(ctx, s.httpClient(), strings.TrimRight(p.Domain, "/")+"/oauth2/token", p.ClientID, p.ClientSecret, old.RefreshToken)
		if err != nil {
			return nil, err
		}
		if t.Username == "" {
			t.Username = old.Username
		}
		return s.entry(t, old.Flow, old.Scopes), nil
	}
	c, err := s.flowsClient()
	if err != nil {
		return nil, err
	}
	user := old.Username
	if user == "" {
		user = p.Username
	}
	t, err := c.Refresh(ctx, p.UserPoolID, p.ClientID, p.ClientSecret, user, old.RefreshToken)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	if t.Username == "" {
		t.Username = old.Username
	}
	return s.entry(t, old.Flow, old.Scopes), nil
}

func (s *Source) flowsClient() (*flows.Client, error) {
	if s.IDP == nil {
		return nil, errors.New("tokens: no user-pool API client")
	}
	idp, err := s.IDP()
	if err != nil {
		return nil, err
	}
	return flows.NewClient(idp), nil
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

// entry turns a flow's result into a cache entry.
func (s *Source) entry(t *flows.Tokens, flow string, scopes []string) *cache.Entry {
	now := s.now()
	e := &cache.Entry{
		AccessToken: t.AccessToken, IDToken: t.IDToken, RefreshToken: t.RefreshToken,
		TokenType: t.TokenType, ExpiresAt: t.ExpiresAt, Username: t.Username,
		Scopes: scopes, ClientID: s.Params.ClientID, Flow: flow, ObtainedAt: now,
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
	if t, err := decode.Parse(tok); err == nil && !t.Encrypted {
		var c struct {
			Exp int64 `json:"exp"`
		}
		if json.Unmarshal(t.Claims, &c) == nil && c.Exp > 0 {
			return time.Unix(c.Exp, 0)
		}
	}
	return now.Add(time.Hour)
}

package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"

	"github.com/pkg/browser"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
)

// flowInput is what any flow may need beyond the resolved Settings.
type flowInput struct {
	Flow          string // client-credentials, password, srp, login
	PasswordStdin bool
	Answer        *answerer
	AuthMethod    string // client-credentials: basic or post
	RedirectURI   string // login
	Port          int    // login
	NoBrowser     bool   // login
}

// cognitoClient builds the unsigned user-pool API client.
func (f *Factory) cognitoClient() (*cognito.Client, error) {
	s := f.Settings
	if s.Region == "" {
		return nil, exit.Usagef("missing AWS region: set --region or $COGTOOL_REGION, or give --user-pool-id (its prefix is the region)")
	}
	return cognito.NewUnsigned(cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.HTTPClient(false)})
}

// appClient returns the app client's secret ("" when it has none), after
// checking that a client id is set; the secret is registered for redaction.
func (f *Factory) appClient() (secret string, err error) {
	if err := f.Settings.Need("client-id"); err != nil {
		return "", err
	}
	if secret, err = f.Settings.ClientSecret(); err != nil {
		return "", err
	}
	f.AddSecret(secret)
	if secret != "" {
		// The forms a server may quote back in an error: the HTTP Basic
		// credential (x/oauth2 form-escapes id and secret first) and the
		// SECRET_HASH of the user.
		id := f.Settings.ClientID
		f.AddSecret(base64.StdEncoding.EncodeToString([]byte(id + ":" + secret)))
		f.AddSecret(base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret))))
		f.addSecretHash(f.Settings.Username, secret)
	}
	return secret, nil
}

// addSecretHash registers the SECRET_HASH of username for redaction.
func (f *Factory) addSecretHash(username, secret string) {
	if username != "" && secret != "" {
		f.AddSecret(cognito.SecretHash(f.Settings.ClientID, secret, username))
	}
}

// cacheKey identifies the tokens of one flow for one user and client.
func (f *Factory) cacheKey(flow string, scopes []string) cache.Key {
	s := f.Settings
	endpoint := s.EndpointURL
	switch {
	case flow == "client-credentials" || flow == "login":
		endpoint = s.TokenURL
	case endpoint == "":
		endpoint = "cognito-idp." + s.Region
	}
	user := s.Username
	if flow == "client-credentials" {
		user = ""
	}
	return cache.Key{Endpoint: endpoint, Pool: s.UserPoolID, Client: s.ClientID, Flow: flow, Username: user, Scopes: scopes}
}

// acquireToken returns tokens for in.Flow through the cache: a fresh cached
// token is reused, an expired one with a refresh token is refreshed, and
// otherwise the flow runs. It is shared by the token commands and call.
func (f *Factory) acquireToken(ctx context.Context, in flowInput, tf *tokenFlags) (*cache.Entry, bool, error) {
	s := f.Settings
	if in.Flow == "" {
		return nil, false, exit.Usagef("no token source: give --token, or set the profile's flow (cogtool config set flow client-credentials|password|srp|login)")
	}
	secret, err := f.appClient()
	if err != nil {
		return nil, false, err
	}
	scopes := tf.scopesOr(s)

	var run func(ctx context.Context) (*flows.Tokens, error)
	switch in.Flow {
	case "client-credentials":
		if err := s.Need("token-url"); err != nil {
			return nil, false, exit.Usagef("client credentials need the token endpoint: set --domain or --token-url (or $COGTOOL_DOMAIN)")
		}
		if secret == "" {
			return nil, false, exit.Usagef("client credentials need the app client secret: --client-secret-file, $COGTOOL_CLIENT_SECRET or profile client_secret")
		}
		run = func(ctx context.Context) (*flows.Tokens, error) {
			return flows.ClientCredentials(ctx, f.HTTPClient(true), flows.ClientCredentialsParams{
				TokenURL: s.TokenURL, ClientID: s.ClientID, ClientSecret: secret, Scopes: scopes, AuthMethod: in.AuthMethod})
		}
	case "password", "srp":
		if err := s.Need("username"); err != nil {
			return nil, false, err
		}
		if in.Flow == "srp" {
			if err := s.Need("user-pool-id"); err != nil {
				return nil, false, err
			}
		}
		scopes = nil
		run = func(ctx context.Context) (*flows.Tokens, error) {
			idp, err := f.cognitoClient()
			if err != nil {
				return nil, err
			}
			c := flows.NewClient(idp)
			pw, err := f.readPassword(in.PasswordStdin, fmt.Sprintf("Password for %s: ", s.Username))
			if err != nil {
				return nil, err
			}
			f.AddSecret(pw)
			ans := in.Answer
			if ans == nil {
				ans = &answerer{f: f}
			}
			p := flows.AuthParams{PoolID: s.UserPoolID, ClientID: s.ClientID, ClientSecret: secret,
				Username: s.Username, Password: pw, Answer: ans}
			if in.Flow == "srp" {
				return c.SRP(ctx, p)
			}
			return c.Password(ctx, p)
		}
	case "login":
		if err := s.Need("domain"); err != nil {
			return nil, false, err
		}
		if len(scopes) == 0 {
			scopes = []string{"openid", "email", "profile"}
		}
		run = func(ctx context.Context) (*flows.Tokens, error) {
			p := flows.LoginParams{Domain: s.Domain, ClientID: s.ClientID, ClientSecret: secret, Scopes: scopes,
				RedirectURI: in.RedirectURI, Port: in.Port, Timeout: s.Timeout,
				ShowURL: func(u string) {
					fmt.Fprintf(f.IO.ErrOut, "Open this URL in a browser to sign in:\n  %s\n", u)
				}}
			if !in.NoBrowser {
				// The opener's chatter must not mix with -o token on stdout.
				browser.Stdout, browser.Stderr = io.Discard, io.Discard
				p.OpenBrowser = browser.OpenURL
			}
			return flows.Login(ctx, f.HTTPClient(true), p)
		}
	default:
		return nil, false, exit.Usagef("unknown flow %q (want client-credentials, password, srp or login)", in.Flow)
	}

	key := f.cacheKey(in.Flow, scopes)
	return f.obtain(ctx, key, tf, func(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
		if stale != nil && stale.RefreshToken != "" && in.Flow != "client-credentials" {
			if e, err := f.refreshEntry(ctx, stale, secret); err == nil {
				return e, nil
			}
			// A refresh that fails (revoked, expired) falls back to the full flow.
		}
		t, err := run(ctx)
		if err != nil {
			return nil, err
		}
		return entryFromTokens(t, in.Flow, s.ClientID, scopes, f.now()), nil
	})
}

// refreshEntry runs REFRESH_TOKEN_AUTH for a cached entry, keeping its
// refresh token (Cognito does not return a new one).
func (f *Factory) refreshEntry(ctx context.Context, old *cache.Entry, secret string) (*cache.Entry, error) {
	s := f.Settings
	idp, err := f.cognitoClient()
	if err != nil {
		return nil, err
	}
	c := flows.NewClient(idp)
	user := firstNonEmpty(old.Username, s.Username)
	t, err := c.Refresh(ctx, s.UserPoolID, s.ClientID, secret, user, old.RefreshToken)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	if t.Username == "" {
		t.Username = old.Username
	}
	return entryFromTokens(t, old.Flow, s.ClientID, old.Scopes, f.now()), nil
}

package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/pkg/browser"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/tokens"
)

// flowInput is what any flow may need beyond the resolved Settings.
type flowInput struct {
	Flow          string // client-credentials, password, srp, login
	PasswordStdin bool
	Answer        *answerer
	AuthMethod    string // client-credentials: basic or post
	RedirectURI   string // login; "" = the redirect-uri setting
	PortSet       bool   // login: Port was given (0 = a free port)
	Port          int    // login
	NoBrowser     bool   // login
}

// cognitoClient builds the unsigned user-pool API client.
func (f *Factory) cognitoClient() (*cognito.Client, error) {
	s := f.Settings
	if s.Region == "" {
		return nil, exit.Usagef("missing AWS region: set --region or $COGTOOL_REGION, or give --user-pool-id (its prefix is the region)")
	}
	return cognito.NewUnsigned(cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.HTTPClient(false),
		FIPS: cognito.UseFIPS(s.Region, f.Getenv)})
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

// tokenSource checks that the settings hold what in.Flow needs and builds
// its token source. It is shared by the token commands and call.
func (f *Factory) tokenSource(in flowInput, tf *tokenFlags) (*tokens.Source, error) {
	s := f.Settings
	if in.Flow == "" {
		return nil, exit.Usagef("no token source: give --token, or set the profile's flow (cogtool config set flow client-credentials|password|srp|login)")
	}
	src, err := f.newTokenSource(tf)
	if err != nil {
		return nil, err
	}
	p := &src.Params
	p.Flow = in.Flow
	switch in.Flow {
	case tokens.ClientCredentials:
		if err := s.Need("token-url"); err != nil {
			return nil, exit.Usagef("client credentials need the token endpoint: set --domain or --token-url (or $COGTOOL_DOMAIN)")
		}
		if p.ClientSecret == "" {
			return nil, exit.Usagef("client credentials need the app client secret: --client-secret-file, $COGTOOL_CLIENT_SECRET or profile client_secret")
		}
		p.AuthMethod = in.AuthMethod
	case tokens.Password, tokens.SRP:
		if err := s.Need("username"); err != nil {
			return nil, err
		}
		if in.Flow == tokens.SRP {
			if err := s.Need("user-pool-id"); err != nil {
				return nil, err
			}
		}
		src.Inputs.Password = func(context.Context) (string, error) {
			pw, err := f.readPassword(in.PasswordStdin, fmt.Sprintf("Password for %s: ", s.Username))
			if err != nil {
				return "", err
			}
			f.AddSecret(pw)
			return pw, nil
		}
		ans := in.Answer
		if ans == nil {
			ans = &answerer{f: f}
		}
		src.Inputs.Answer = ans
	case tokens.Login:
		if err := s.Need("domain"); err != nil {
			return nil, err
		}
		p.RedirectURI, p.Port, p.Timeout = in.RedirectURI, in.Port, s.Timeout
		if p.RedirectURI == "" {
			p.RedirectURI = s.RedirectURI
		}
		switch {
		case in.PortSet:
		case p.RedirectURI == "":
			p.Port = flows.DefaultLoginPort
		default:
			p.Port = 0 // the redirect URI names the port
		}
		src.Inputs.ShowURL = func(u string) {
			fmt.Fprintf(f.IO.ErrOut, "Open this URL in a browser to sign in:\n  %s\n", u)
			if pu, err := url.Parse(u); err == nil {
				fmt.Fprintf(f.IO.ErrOut, "Waiting for the callback on %s (it must be among the app client's callback URLs, exactly).\n",
					pu.Query().Get("redirect_uri"))
			}
		}
		if !in.NoBrowser {
			// The opener's chatter must not mix with -o token on stdout.
			browser.Stdout, browser.Stderr = io.Discard, io.Discard
			src.Inputs.OpenBrowser = browser.OpenURL
		}
	default:
		return nil, exit.Usagef("unknown flow %q (want client-credentials, password, srp or login)", in.Flow)
	}
	return src, nil
}

// newTokenSource builds a token source for the settings' app client and
// user, with no flow chosen: enough to refresh or revoke.
func (f *Factory) newTokenSource(tf *tokenFlags) (*tokens.Source, error) {
	s := f.Settings
	secret, err := f.appClient()
	if err != nil {
		return nil, err
	}
	c, err := f.tokenCache(tf.NoCache)
	if err != nil {
		return nil, err
	}
	return &tokens.Source{
		Params: tokens.Params{
			Region: s.Region, EndpointURL: s.EndpointURL, UserPoolID: s.UserPoolID,
			ClientID: s.ClientID, ClientSecret: secret, Username: s.Username,
			Scopes: tf.scopesOr(s), TokenURL: s.TokenURL, Domain: s.Domain, MinTTL: tf.MinTTL,
		},
		Cache: c,
		HTTP:  func() *http.Client { return f.HTTPClient(true) },
		IDP:   f.cognitoClient,
		Busy:  f.spin,
		Warn:  f.warn,
		Now:   f.now,
	}, nil
}

// tokenCache is the token cache, or with noCache one that neither reads
// nor writes (and needs no cache directory).
func (f *Factory) tokenCache(noCache bool) (*cache.Cache, error) {
	if noCache {
		return &cache.Cache{NoCache: true}, nil
	}
	return f.Cache()
}

// registerTokens registers a result's tokens as secrets, so that no error
// or trace can print them.
func (f *Factory) registerTokens(r *tokens.Result) {
	f.AddSecret(r.AccessToken)
	f.AddSecret(r.IDToken)
	f.AddSecret(r.RefreshToken)
}

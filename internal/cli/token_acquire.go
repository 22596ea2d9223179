package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
	"github.com/cogtool/cogtool/internal/tokens"
)

// flowInput is what any flow may need beyond the resolved Settings.
type flowInput struct {
	Flow          string // client-credentials, password, srp, login, otp
	AuthFlow      string // password, srp: the flow itself, user-auth (USER_AUTH) or custom (CUSTOM_AUTH)
	Channel       string // otp: email or sms
	PasswordStdin bool
	Answer        *answerer
	AuthMethod    string // client-credentials: basic or post
	RedirectURI   string // login; "" = the redirect-uri setting
	PortSet       bool   // login: Port was given (0 = a free port)
	Port          int    // login
	NoBrowser     bool   // login
	// Asked is true when the command is the flow's own token command (the
	// user asked for a sign-in), false for call, exec and aws-credentials:
	// a failed refresh may then fall back to an interactive sign-in.
	Asked bool
}

// check validates the flow choice and the answer flags.
func (in *flowInput) check(cmd *cobra.Command) error {
	switch in.AuthFlow {
	case "", in.Flow, "user-auth", "custom":
	default:
		return usagef(cmd, "--auth-flow must be %s, user-auth or custom, not %q", in.Flow, in.AuthFlow)
	}
	if in.Answer != nil {
		return in.Answer.check()
	}
	return nil
}

// tokenSources builds token sources from the resolved settings: the
// token-source constructor that the commands which get tokens hold in
// their options, so that their run functions need no Factory.
type tokenSources struct {
	IO       *iostreams.IOStreams
	Settings *Settings
	Getenv   func(string) string
	Now      func() time.Time
	// Cache is the token cache (nil: none); HTTP the token endpoint's
	// client; OneShotHTTP the client of the identity pool's API; IDP the
	// unsigned user-pool API client.
	Cache       func() (*cache.Cache, error)
	HTTP        func() *http.Client
	OneShotHTTP func() *http.Client
	IDP         func() (*cognito.Client, error)
	// AppSecret checks that a client id is set and reads the app client's
	// secret ("" when it has none).
	AppSecret func() (string, error)
	// ReadPassword reads the user's password: stdin with fromStdin, else
	// $COGTOOL_PASSWORD, else a prompt. ReadRefreshToken reads
	// --refresh-token-file (- for stdin). Both register what they return.
	ReadPassword     func(fromStdin bool, prompt string) (string, error)
	ReadRefreshToken func(path string) (string, error)
	// Secrets is the run's redaction set, which the token and credential
	// sources add every token, challenge Session and AWS secret key to.
	Secrets *redact.Set
	Warn    func(string)
}

// tokenSources is the token-source constructor for the resolved settings.
func (f *Factory) tokenSources() *tokenSources {
	return &tokenSources{
		IO: f.IO, Settings: f.Settings, Getenv: f.Getenv, Now: f.now,
		Cache: f.Cache, HTTP: f.RetryingHTTPClient, OneShotHTTP: f.OneShotHTTPClient, IDP: f.cognitoClient,
		AppSecret: f.Input().appClient, ReadPassword: f.Input().readPassword, ReadRefreshToken: f.Input().readRefreshToken,
		Secrets: f.secrets, Warn: f.warn,
	}
}

// canSignInAgain reports whether in's full flow may run after a refused
// refresh: the command is the flow's own (the user asked for a sign-in),
// or the flow needs no input only a person can give (a password from
// --password-stdin or $COGTOOL_PASSWORD; never the hosted UI or a code).
func (ts *tokenSources) canSignInAgain(in flowInput) bool {
	if in.Asked {
		return true
	}
	switch {
	case in.Flow == tokens.Login, in.Flow == tokens.OTP:
		return false
	case in.AuthFlow == tokens.Custom:
		return in.Answer != nil && in.Answer.answer != ""
	case in.Flow == tokens.Password || in.Flow == tokens.SRP:
		return in.PasswordStdin || ts.Getenv("COGTOOL_PASSWORD") != ""
	}
	return true
}

// forFlow checks that the settings hold what in.Flow needs and builds
// its token source. It is shared by the token commands and call.
func (ts *tokenSources) forFlow(in flowInput, tf *tokenFlags) (*tokens.Source, error) {
	s := ts.Settings
	if in.Flow == "" {
		return nil, exit.Usagef("no token source: give --token, or set the profile's flow (cogtool config set flow client-credentials|password|srp|login)")
	}
	src, err := ts.base(tf)
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
	case tokens.Password, tokens.SRP, tokens.OTP:
		if err := s.Need("username"); err != nil {
			return nil, err
		}
		if in.Flow == tokens.SRP && in.AuthFlow != tokens.Custom {
			if err := s.Need("user-pool-id"); err != nil {
				return nil, err
			}
		}
		if in.AuthFlow != in.Flow {
			p.AuthFlow = in.AuthFlow
		}
		p.Channel = in.Channel
		// Read once: the cache's binding check and the flow may both ask.
		readPW := sync.OnceValues(func() (string, error) {
			return ts.ReadPassword(in.PasswordStdin, fmt.Sprintf("Password for %s: ", s.Username))
		})
		src.Inputs.Password = func(context.Context) (string, error) { return readPW() }
		src.Inputs.GivenPassword = func() (string, error) {
			if !in.PasswordStdin && ts.Getenv("COGTOOL_PASSWORD") == "" {
				return "", nil // a prompt: the cache may spare it
			}
			return readPW()
		}
		if in.Answer != nil {
			src.Inputs.Answer = in.Answer
		}
		src.Inputs.SignInAgain = func() bool { return ts.canSignInAgain(in) }
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
			fmt.Fprintf(ts.IO.ErrOut, "Open this URL in a browser to sign in:\n  %s\n", u)
			if pu, err := url.Parse(u); err == nil {
				fmt.Fprintf(ts.IO.ErrOut, "Waiting for the callback on %s (it must be among the app client's callback URLs, exactly).\n",
					pu.Query().Get("redirect_uri"))
			}
		}
		if !in.NoBrowser {
			// Detached, in an environment without cogtool's secrets.
			src.Inputs.OpenBrowser = flows.OpenBrowser
		}
		src.Inputs.SignInAgain = func() bool { return ts.canSignInAgain(in) }
	default:
		return nil, exit.Usagef("unknown flow %q (want client-credentials, password, srp or login)", in.Flow)
	}
	return src, nil
}

// base builds a token source for the settings' app client and user, with
// no flow chosen: enough to refresh or revoke.
func (ts *tokenSources) base(tf *tokenFlags) (*tokens.Source, error) {
	s := ts.Settings
	secret, err := ts.AppSecret()
	if err != nil {
		return nil, err
	}
	c, err := ts.cache(tf.NoCache)
	if err != nil {
		return nil, err
	}
	var saved *cache.Cache
	if tf.NoCache {
		// --no-cache bypasses the tokens, not a challenge saved for 'token respond'.
		if real, err := ts.Cache(); err == nil {
			saved = real.Pending()
		}
	}
	return &tokens.Source{
		PendingStore: saved,
		Params: tokens.Params{
			Region: s.Region, EndpointURL: s.EndpointURL, UserPoolID: s.UserPoolID,
			ClientID: s.ClientID, ClientSecret: secret, Username: s.Username,
			Scopes: tf.scopesOr(s), TokenURL: s.TokenURL, Domain: s.Domain, MinTTL: tf.MinTTL,
		},
		Cache:   c,
		HTTP:    ts.HTTP,
		IDP:     ts.IDP,
		Busy:    ts.IO.StartSpinner,
		Warn:    ts.Warn,
		Now:     ts.Now,
		Secrets: ts.Secrets,
	}, nil
}

// cache is the token cache, or with noCache one that neither reads nor
// writes (and needs no cache directory).
func (ts *tokenSources) cache(noCache bool) (*cache.Cache, error) {
	if noCache {
		return &cache.Cache{NoCache: true}, nil
	}
	return ts.Cache()
}

// get runs in's flow through the cache; the source registers the tokens
// it returns as secrets.
func (ts *tokenSources) get(ctx context.Context, in flowInput, tf *tokenFlags) (*tokens.Result, error) {
	src, err := ts.forFlow(in, tf)
	if err != nil {
		return nil, err
	}
	return src.Get(ctx)
}

// currentUser returns the cached tokens of the current user (--username
// or the profile's) and client, refreshed when the access token has less
// than a minute left. Commands that act as the user (change-password,
// whoami) use them; they never sign in themselves.
func (ts *tokenSources) currentUser(ctx context.Context) (*cache.Entry, error) {
	if err := ts.Settings.Need("client-id", "username"); err != nil {
		return nil, err
	}
	src, err := ts.base(&tokenFlags{MinTTL: time.Minute})
	if err != nil {
		return nil, err
	}
	r, err := src.User(ctx)
	if errors.Is(err, tokens.ErrNoRefreshToken) {
		return nil, exit.Authf("no cached tokens for %s with client %s: sign in first (cogtool token password, srp or login)",
			ts.Settings.Username, ts.Settings.ClientID)
	}
	if err != nil {
		return nil, err
	}
	return r.Entry, nil
}

// cognitoClient builds the unsigned user-pool API client.
func (f *Factory) cognitoClient() (*cognito.Client, error) {
	s := f.Settings
	if s.Region == "" {
		return nil, exit.Usagef("missing AWS region: set --region or $COGTOOL_REGION, or give --user-pool-id (its prefix is the region)")
	}
	return cognito.NewUnsigned(cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.OneShotHTTPClient(),
		FIPS: cognito.UseFIPS(s.Region, f.Getenv), Secrets: f.secrets})
}

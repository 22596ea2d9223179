package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
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
	// Cmd is the token command that runs the flow (nil for call): its
	// selector flags are repeated in the 'token respond' command that an
	// exit-7 message prints, and a failed refresh may fall back to an
	// interactive sign-in only when the user asked for that flow by name.
	Cmd *cobra.Command
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

// canSignInAgain reports whether in's full flow may run after a refused
// refresh: the command is the flow's own (the user asked for a sign-in),
// or the flow needs no input only a person can give (a password from
// --password-stdin or $COGTOOL_PASSWORD; never the hosted UI or a code).
func (f *Factory) canSignInAgain(in flowInput) bool {
	if in.Cmd != nil {
		return true
	}
	switch {
	case in.Flow == tokens.Login, in.Flow == tokens.OTP:
		return false
	case in.AuthFlow == tokens.Custom:
		return in.Answer != nil && in.Answer.answer != ""
	case in.Flow == tokens.Password || in.Flow == tokens.SRP:
		return in.PasswordStdin || f.Getenv("COGTOOL_PASSWORD") != ""
	}
	return true
}

// cognitoClient builds the unsigned user-pool API client.
func (f *Factory) cognitoClient() (*cognito.Client, error) {
	s := f.Settings
	if s.Region == "" {
		return nil, exit.Usagef("missing AWS region: set --region or $COGTOOL_REGION, or give --user-pool-id (its prefix is the region)")
	}
	return cognito.NewUnsigned(cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.OneShotHTTPClient(),
		FIPS: cognito.UseFIPS(s.Region, f.Getenv)})
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
			return f.readPassword(in.PasswordStdin, fmt.Sprintf("Password for %s: ", s.Username))
		})
		src.Inputs.Password = func(context.Context) (string, error) { return readPW() }
		src.Inputs.GivenPassword = func() (string, error) {
			if !in.PasswordStdin && f.Getenv("COGTOOL_PASSWORD") == "" {
				return "", nil // a prompt: the cache may spare it
			}
			return readPW()
		}
		ans := in.Answer
		if ans == nil {
			ans = &answerer{f: f}
		}
		src.Inputs.Answer = ans
		src.Inputs.SignInAgain = func() bool { return f.canSignInAgain(in) }
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
			// Detached, in an environment without cogtool's secrets.
			src.Inputs.OpenBrowser = flows.OpenBrowser
		}
		src.Inputs.SignInAgain = func() bool { return f.canSignInAgain(in) }
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
	var saved *cache.Cache
	if tf.NoCache {
		// --no-cache bypasses the tokens, not a challenge saved for 'token respond'.
		if real, err := f.Cache(); err == nil {
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
		Cache: c,
		HTTP:  func() *http.Client { return f.RetryingHTTPClient() },
		IDP:   f.cognitoClient,
		Busy:  f.IO.StartSpinner,
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

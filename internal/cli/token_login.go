package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/flows"
)

// loginDefaultTimeout gives a person time to type a password; --timeout
// or $COGTOOL_TIMEOUT overrides it.
const loginDefaultTimeout = 5 * time.Minute

func newTokenLoginCmd(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
	opts := &tokenGetOptions{Flow: flowInput{Flow: "login"}}
	in := &opts.Flow
	cmd := &cobra.Command{
		Use:   "login [flags]",
		Short: "Sign in through the hosted UI (authorization code + PKCE)",
		Long: `Sign in through the user pool's hosted UI: cogtool opens {domain}/oauth2/authorize
with PKCE (S256) and a state, waits on a loopback callback for exactly one
redirect, then exchanges the code at {domain}/oauth2/token and caches the tokens.

--no-browser prints the URL to stderr instead of opening a browser (over SSH,
forward the callback port). Cognito requires the redirect URI to be among the
app client's callback URLs exactly, port included: the default is
http://localhost:8976/callback (--port changes the port; --redirect-uri,
$COGTOOL_REDIRECT_URI or the profile's redirect_uri give the whole URL).
The default scopes are openid email profile. Gives up after --timeout
(default 5m) with exit 5. The tokens refresh at {domain}/oauth2/token.`,
		Example: `  cogtool token login --domain my-pool --region eu-west-1 --client-id 4k2h...
  cogtool token login --redirect-uri http://localhost:8400/callback --no-browser`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			if in.Port < 0 || in.Port > 65535 {
				return usagef(cmd, "--port %d is not a port", in.Port)
			}
			in.PortSet = cmd.Flags().Changed("port")
			if !cmd.Flags().Changed("timeout") && f.Getenv("COGTOOL_TIMEOUT") == "" {
				f.Settings.Timeout = loginDefaultTimeout
			}
			return runToken(cmd, f, opts, runF)
		},
	}
	opts.Tokens.register(cmd.Flags(), true)
	addStringSetting(cmd.Flags(), "domain")
	addStringSetting(cmd.Flags(), "token-url")
	addStringSetting(cmd.Flags(), "redirect-uri")
	cmd.Flags().IntVar(&in.Port, "port", flows.DefaultLoginPort, "loopback port of the default redirect URI http://localhost:<port>/callback (0: a free port, for emulators that accept any)")
	cmd.Flags().BoolVar(&in.NoBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser")
	return cmd
}

package cli

import (
	"time"

	"github.com/spf13/cobra"
)

// loginDefaultTimeout gives a person time to type a password; --timeout
// or $COGTOOL_TIMEOUT overrides it.
const loginDefaultTimeout = 5 * time.Minute

func newTokenLoginCmd(f *Factory) *cobra.Command {
	var tf tokenFlags
	in := flowInput{Flow: "login"}
	cmd := &cobra.Command{
		Use:   "login [flags]",
		Short: "Sign in through the hosted UI (authorization code + PKCE)",
		Long: `Sign in through the user pool's hosted UI: cogtool opens {domain}/oauth2/authorize
with PKCE (S256) and a state, waits on a loopback callback for exactly one
redirect, then exchanges the code at {domain}/oauth2/token and caches the tokens.

--no-browser prints the URL to stderr instead of opening a browser (over SSH,
forward the callback port). The app client must list the redirect URI
(default http://localhost:<port>/callback) among its callback URLs.
Gives up after --timeout with exit 5.`,
		Example: `  cogtool token login --domain my-pool --region eu-west-1 --client-id 4k2h... --port 8400`,
		Args:    argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := tf.check(cmd); err != nil {
				return err
			}
			if in.Port < 0 || in.Port > 65535 {
				return usagef(cmd, "--port %d is not a port", in.Port)
			}
			if !cmd.Flags().Changed("timeout") && f.Getenv("COGTOOL_TIMEOUT") == "" {
				f.Settings.Timeout = loginDefaultTimeout
			}
			return f.getToken(cmd.Context(), in, &tf)
		},
	}
	tf.register(cmd.Flags(), true)
	addStringSetting(cmd.Flags(), "domain")
	addStringSetting(cmd.Flags(), "token-url")
	cmd.Flags().StringVar(&in.RedirectURI, "redirect-uri", "", "callback URL registered on the app client (default http://localhost:<port>/callback)")
	cmd.Flags().IntVar(&in.Port, "port", 0, "loopback port for the callback (default: a free port)")
	cmd.Flags().BoolVar(&in.NoBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser")
	return cmd
}

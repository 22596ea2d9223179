package cli

import (
	"github.com/spf13/cobra"
)

func newTokenClientCredentialsCmd(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
	opts := &tokenGetOptions{Flow: flowInput{Flow: "client-credentials"}}
	cmd := &cobra.Command{
		Use:   "client-credentials [flags]",
		Short: "Get an access token with the OAuth2 client-credentials grant",
		Long: `Get an access token from {domain}/oauth2/token with the client_credentials grant,
for machine-to-machine calls. The app client needs a secret and the requested
custom scopes (resource-server/scope). Tokens are cached until --min-ttl before
expiry: AWS bills client-credentials requests.`,
		Example: `  cogtool token client-credentials --domain dotnet-demo --region ap-south-1 \
      --client-id 4k2h... --client-secret-file secret.txt --scope dotnet-demo/dotnet
  TOKEN=$(cogtool token client-credentials -o token)`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			if m := opts.Flow.AuthMethod; m != "basic" && m != "post" {
				return usagef(cmd, "--auth-method must be basic or post, not %q", m)
			}
			return runToken(cmd, f, opts, runF)
		},
	}
	opts.Tokens.register(cmd.Flags(), true)
	addStringSetting(cmd.Flags(), "domain")
	addStringSetting(cmd.Flags(), "token-url")
	cmd.Flags().StringVar(&opts.Flow.AuthMethod, "auth-method", "basic", "send the client secret by HTTP `basic` auth or in the post body")
	return cmd
}

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/verify"
)

func newJWKSCmd(f *Factory, runF func() error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jwks",
		Short: "Print the user pool's JWKS (save it for verify --jwks-file)",
		Example: `  cogtool jwks --user-pool-id us-east-1_AbC123 > jwks.json
  cogtool verify --jwks-file jwks.json --user-pool-id us-east-1_AbC123 "$TOKEN"`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF()
			}
			if err := f.Settings.Need("jwks-url"); err != nil {
				return exit.Usagef("no JWKS URL: set --user-pool-id (and region) or --jwks-url")
			}
			b, err := verify.FetchJWKS(cmd.Context(), f.RetryingHTTPClient(), f.Settings.JWKSURL)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if json.Indent(&buf, b, "", "  ") != nil {
				return exit.Networkf("JWKS URL %s: reply is not JSON", f.Settings.JWKSURL)
			}
			fmt.Fprintln(f.IO.Out, buf.String())
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "issuer")
	addStringSetting(cmd.Flags(), "jwks-url")
	return cmd
}

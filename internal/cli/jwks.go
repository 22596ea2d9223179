package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/verify"
)

type jwksOptions struct {
	IO         *iostreams.IOStreams
	HTTPClient func() *http.Client
	Settings   *Settings
}

func newJWKSCmd(f *Factory, runF func(*jwksOptions) error) *cobra.Command {
	opts := &jwksOptions{}
	cmd := &cobra.Command{
		Use:   "jwks",
		Short: "Print the user pool's JWKS (save it for verify --jwks-file)",
		Example: `  cogtool jwks --user-pool-id us-east-1_AbC123 > jwks.json
  cogtool verify --jwks-file jwks.json --user-pool-id us-east-1_AbC123 "$TOKEN"`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.IO, opts.HTTPClient, opts.Settings = f.IO, f.RetryingHTTPClient, f.Settings
			if runF != nil {
				return runF(opts)
			}
			return jwksRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "issuer")
	addStringSetting(cmd.Flags(), "jwks-url")
	return cmd
}

func jwksRun(ctx context.Context, opts *jwksOptions) error {
	if err := opts.Settings.Need("jwks-url"); err != nil {
		return exit.Usagef("no JWKS URL: set --user-pool-id (and region) or --jwks-url")
	}
	u := opts.Settings.JWKSURL
	b, err := verify.FetchJWKS(ctx, opts.HTTPClient(), u)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") != nil {
		return exit.Networkf("JWKS URL %s: reply is not JSON", u)
	}
	fmt.Fprintln(opts.IO.Out, buf.String())
	return nil
}

package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
)

type decodeOptions struct {
	Args []string
}

func newDecodeCmd(f *Factory, runF func(*decodeOptions) error) *cobra.Command {
	opts := &decodeOptions{}
	return &cobra.Command{
		Use:   "decode [<token> | -]",
		Short: "Show a JWT's header and claims (does not verify the signature)",
		Long: `Show a token's header and claims, with exp, iat, nbf and auth_time as RFC 3339
and relative times. The signature is NOT verified: use 'cogtool verify'.

The token may be given bare, as "Bearer <token>" or "Authorization: Bearer <token>",
as an argument or on stdin. A Cognito refresh token is encrypted (a JWE): decode
shows its header and says so.

-o json prints {"header":{...},"claims":{...}}.`,
		Example: `  cogtool decode eyJraWQiOi...
  cogtool token password -o token | cogtool decode -o json | jq .claims`,
		Args:        argsUsage(cobra.MaximumNArgs(1)),
		Annotations: map[string]string{annotationNoSettings: "1"},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args = args
			if runF != nil {
				return runF(opts)
			}
			return runDecode(f, opts)
		},
	}
}

func runDecode(f *Factory, opts *decodeOptions) error {
	raw, err := f.readTokenArg(opts.Args)
	if err != nil {
		return err
	}
	t, err := decode.Parse(raw)
	if err != nil {
		return err
	}
	if f.machineMode("json") == "json" {
		b, err := json.MarshalIndent(t, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(f.IO.Out, string(b))
		return nil
	}
	return decode.RenderText(f.IO.Out, t, f.now(), f.IO.ColorEnabled())
}

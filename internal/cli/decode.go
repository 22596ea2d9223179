package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type decodeOptions struct {
	IO     *iostreams.IOStreams
	Output string // text or json
	Now    func() time.Time
	// ReadToken reads the token argument, or stdin, and registers it.
	ReadToken func(args []string) (string, error)

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
			opts.IO, opts.Output, opts.Now, opts.ReadToken, opts.Args = f.IO, f.Output, f.now, f.Input().readTokenArg, args
			if runF != nil {
				return runF(opts)
			}
			return decodeRun(opts)
		},
	}
}

func decodeRun(opts *decodeOptions) error {
	raw, err := opts.ReadToken(opts.Args)
	if err != nil {
		return err
	}
	t, err := decode.Parse(raw)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		b, err := json.MarshalIndent(t, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.Out, string(b))
		return nil
	}
	return decode.RenderText(opts.IO.Out, t, opts.Now(), opts.IO.ColorEnabled())
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

type awsCredentialsOptions struct {
	IO     *iostreams.IOStreams
	Output string // json, env or text
	Now    func() time.Time
	// Credentials gets the identity-pool credentials.
	Credentials func(ctx context.Context) (*awsCreds, error)

	AWS    awsFlags
	Tokens tokenFlags
	Flow   flowInput
}

func newAWSCredentialsCmd(f *Factory, runF func(*awsCredentialsOptions) error) *cobra.Command {
	opts := &awsCredentialsOptions{Flow: flowInput{Answer: newAnswerer(f)}}
	cmd := &cobra.Command{
		Use:   "aws-credentials [flags]",
		Short: "Temporary AWS credentials from the identity pool, for credential_process",
		Long: `Turn the current user's ID token into temporary AWS credentials through a
Cognito identity pool (GetId, then GetCredentialsForIdentity; both unsigned, in
the identity pool id's region). The ID token comes from the profile's flow
through the token cache, as 'cogtool call' gets its token; --guest asks for a
guest identity instead. The identity id and the credentials are cached like
tokens (mode 0600) and reused while they have more than --min-ttl left.

-o json prints exactly what the AWS SDKs' credential_process expects, so a
profile in ~/.aws/config can run cogtool:

  [profile cognito]
  credential_process = cogtool aws-credentials --profile demo -o json

-o env prints export lines for eval; -o text a summary with the secret parts
redacted (the default on a terminal).`,
		Example: `  cogtool aws-credentials --identity-pool-id us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b -o json
  eval "$(cogtool aws-credentials --profile demo -o env)"
  cogtool aws-credentials --guest -o text`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Tokens.MinTTL < 0 {
				return usagef(cmd, "--min-ttl must not be negative")
			}
			opts.IO, opts.Output, opts.Now = f.IO, f.Output, f.now
			opts.Credentials = func(ctx context.Context) (*awsCreds, error) {
				ts := f.tokenSources()
				opts.Flow.Flow = ts.Settings.Flow
				return awsCredentials(ctx, ts, &opts.AWS, opts.Flow, &opts.Tokens)
			}
			if runF != nil {
				return runF(opts)
			}
			return awsCredentialsRun(cmd.Context(), opts)
		},
	}
	opts.AWS.register(cmd, &opts.Tokens, &opts.Flow)
	opts.Tokens.Which = "id"
	return cmd
}

func awsCredentialsRun(ctx context.Context, o *awsCredentialsOptions) error {
	mode := o.Output
	switch mode {
	case "json", "env", "text":
	default:
		return exit.Usagef("aws-credentials prints -o json, env or text, not %s", mode)
	}
	cr, err := o.Credentials(ctx)
	if err != nil {
		return err
	}
	w := o.IO.Out
	switch mode {
	case "json":
		// The credential_process shape, field for field:
		// https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
		out := struct {
			Version         int
			AccessKeyID     string `json:"AccessKeyId"`
			SecretAccessKey string
			SessionToken    string `json:",omitempty"`
			Expiration      string
		}{1, cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken, credentialsExpiry(cr.Expiration)}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(w, string(b))
	case "env":
		printExports(w, awsEnv(cr, ""))
	default:
		row := func(k, v string) {
			if v != "" {
				fmt.Fprintf(w, "%-18s %s\n", k+":", v)
			}
		}
		row("identity pool", cr.PoolID)
		row("identity", cr.IdentityID)
		row("access key id", cr.AccessKeyID)
		row("secret access key", redact.Marker)
		if cr.SessionToken != "" {
			row("session token", redact.Token(cr.SessionToken))
		}
		row("expires", cr.Expiration.Local().Format(time.RFC3339)+" ("+decode.Relative(cr.Expiration.Sub(o.Now()))+")")
		src := "fetched"
		if cr.FromCache {
			src = "cache"
		}
		row("source", src)
		fmt.Fprintln(o.IO.ErrOut, "print the credentials with -o json (credential_process) or -o env")
	}
	return nil
}

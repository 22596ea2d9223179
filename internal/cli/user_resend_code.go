package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userResendCodeOptions struct {
	appOptions
	Username string
}

func newUserResendCodeCmd(f *Factory, runF func(*userResendCodeOptions) error) *cobra.Command {
	opts := &userResendCodeOptions{}
	return &cobra.Command{
		Use:   "resend-code <username>",
		Short: "Send a new sign-up confirmation code (ResendConfirmationCode)",
		Long: `Send a user who signed up but has not confirmed a new code, with the unsigned
ResendConfirmationCode; the SECRET_HASH is computed when the app client has a
secret. Confirm with 'cogtool user confirm <username> --code <code>'.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			opts.appOptions = newAppOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userResendCodeRun(cmd.Context(), opts)
		},
	}
}

func userResendCodeRun(ctx context.Context, opts *userResendCodeOptions) error {
	return opts.sendCode(ctx, opts.Username, "a confirmation code", users.ResendCode)
}

package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userForgotPasswordOptions struct {
	appOptions
	Username string
}

func newUserForgotPasswordCmd(f *Factory, runF func(*userForgotPasswordOptions) error) *cobra.Command {
	opts := &userForgotPasswordOptions{}
	return &cobra.Command{
		Use:   "forgot-password <username>",
		Short: "Send a user a password-reset code, as an app does (ForgotPassword)",
		Long: `Start a password reset with the unsigned ForgotPassword, as an app does; the
SECRET_HASH is computed when the app client has a secret. Cognito sends a code
to the user's verified email or phone; finish with
'cogtool user confirm-forgot-password <username> --code <code>'. No AWS
credentials are needed.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			opts.appOptions = newAppOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userForgotPasswordRun(cmd.Context(), opts)
		},
	}
}

func userForgotPasswordRun(ctx context.Context, opts *userForgotPasswordOptions) error {
	if err := opts.sendCode(ctx, opts.Username, "a password-reset code", users.ForgotPassword); err != nil {
		return err
	}
	if opts.Output != "json" {
		fmt.Fprintf(opts.IO.ErrOut, "finish with: cogtool user confirm-forgot-password %s --code <code>\n", opts.Username)
	}
	return nil
}

package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userConfirmForgotPasswordOptions struct {
	appOptions
	Username string
	Code     string
	// NewPassword reads the new password (stdin, $COGTOOL_PASSWORD, or a
	// prompt asked twice).
	NewPassword func(prompt string) (string, error)
}

func newUserConfirmForgotPasswordCmd(f *Factory, runF func(*userConfirmForgotPasswordOptions) error) *cobra.Command {
	opts := &userConfirmForgotPasswordOptions{}
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "confirm-forgot-password <username> --code <code> [--password-stdin]",
		Short: "Set a new password with the reset code (ConfirmForgotPassword)",
		Long: `Finish a password reset with the unsigned ConfirmForgotPassword: the code the
user received and their new password, from --password-stdin, $COGTOOL_PASSWORD
or a prompt without echo asked twice. The SECRET_HASH is computed when the app
client has a secret. No AWS credentials are needed.`,
		Example: `  printf '%s\n' "$NEW_PW" | cogtool user confirm-forgot-password alice --code 123456 --password-stdin`,
		Args:    argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			if opts.Code == "" {
				return usagef(cmd, "missing --code: the code Cognito sent the user")
			}
			opts.Code = f.Input().flagSecret(opts.Code)
			opts.appOptions = newAppOptions(f)
			opts.NewPassword = f.Input().newPasswordReader(fromStdin)
			if runF != nil {
				return runF(opts)
			}
			return userConfirmForgotPasswordRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Code, "code", "", "the reset `code` the user received")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the new password from stdin (env $COGTOOL_PASSWORD)")
	return cmd
}

func userConfirmForgotPasswordRun(ctx context.Context, opts *userConfirmForgotPasswordOptions) error {
	app, c, err := opts.unsigned(opts.Username)
	if err != nil {
		return err
	}
	pw, err := opts.NewPassword(fmt.Sprintf("New password for %s: ", opts.Username))
	if err != nil {
		return err
	}
	if err := users.ConfirmForgotPassword(ctx, c, app, opts.Username, opts.Code, pw); err != nil {
		return err
	}
	return printDone(opts.IO, opts.Output, map[string]any{"username": opts.Username, "password_set": true},
		"set a new password for %s", opts.Username)
}

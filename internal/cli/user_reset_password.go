package cli

import (
	"context"

	"github.com/spf13/cobra"
)

type userResetPasswordOptions struct {
	adminOptions
	Username string
}

func newUserResetPasswordCmd(f *Factory, runF func(*userResetPasswordOptions) error) *cobra.Command {
	opts := &userResetPasswordOptions{}
	return &cobra.Command{
		Use:   "reset-password <username>",
		Short: "Make a user reset their password (AdminResetUserPassword)",
		Long: `Make a user reset their password with AdminResetUserPassword: their status
becomes RESET_REQUIRED and Cognito sends a code to their verified email or phone;
they finish with 'cogtool user confirm-forgot-password <username> --code <code>'.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userResetPasswordRun(cmd.Context(), opts)
		},
	}
}

func userResetPasswordRun(ctx context.Context, opts *userResetPasswordOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	if err := a.ResetPassword(ctx, opts.PoolID, opts.Username); err != nil {
		return err
	}
	return opts.done(map[string]any{"username": opts.Username, "status": "RESET_REQUIRED"},
		"reset the password of %s: they finish with 'cogtool user confirm-forgot-password %s --code <code>'", opts.Username, opts.Username)
}

package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userCreateOptions struct {
	adminOptions
	Username        string
	Attributes      []users.Attribute
	SuppressMessage bool
	// TemporaryPassword reads the temporary password; nil lets Cognito
	// make one.
	TemporaryPassword func() (string, error)
}

func newUserCreateCmd(f *Factory, runF func(*userCreateOptions) error) *cobra.Command {
	opts := &userCreateOptions{}
	var (
		attrs    []string
		tempFile string
	)
	cmd := &cobra.Command{
		Use:   "create [<username>] [flags]",
		Short: "Create a user (AdminCreateUser); it starts in FORCE_CHANGE_PASSWORD",
		Long: `Create a user with AdminCreateUser. The user starts in FORCE_CHANGE_PASSWORD:
set a permanent password with 'cogtool user set-password' to confirm it.
Uses the AWS SDK's default credentials (AWS_PROFILE, shared config, environment).`,
		Example: `  cogtool user create alice --attribute email=alice@example.com --attribute email_verified=true --suppress-message`,
		Args:    argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Username, err = userArg(cmd, args, f.Settings.Username); err != nil {
				return err
			}
			if opts.Attributes, err = parseAttributes(attrs); err != nil {
				return err
			}
			if tempFile != "" {
				opts.TemporaryPassword = func() (string, error) { return f.Input().readPasswordFile(tempFile, "temporary password") }
			}
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userCreateRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringArrayVar(&attrs, "attribute", nil, "user attribute `name=value` (repeatable)")
	cmd.Flags().StringVar(&tempFile, "temporary-password-file", "", "read the temporary password from `file` (- for stdin)")
	cmd.Flags().BoolVar(&opts.SuppressMessage, "suppress-message", false, "do not send the invitation message")
	return cmd
}

func userCreateRun(ctx context.Context, opts *userCreateOptions) error {
	p := users.CreateParams{PoolID: opts.PoolID, Username: opts.Username, Attributes: opts.Attributes, SuppressMessage: opts.SuppressMessage}
	if opts.TemporaryPassword != nil {
		var err error
		if p.TemporaryPassword, err = opts.TemporaryPassword(); err != nil {
			return err
		}
	}
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	u, err := a.Create(ctx, p)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, u)
	}
	fmt.Fprintf(opts.IO.Out, "created %s: %s\n", u.Username, u.Status)
	return nil
}

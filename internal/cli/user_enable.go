package cli

import (
	"context"

	"github.com/spf13/cobra"
)

type userEnableOptions struct {
	adminOptions
	Username string
	Enable   bool
}

func newUserEnableCmd(f *Factory, runF func(*userEnableOptions) error) *cobra.Command {
	return newUserEnabledCmd(f, runF, true)
}

// newUserEnabledCmd builds `user enable` (enable true) or `user disable`.
func newUserEnabledCmd(f *Factory, runF func(*userEnableOptions) error, enable bool) *cobra.Command {
	opts := &userEnableOptions{Enable: enable}
	cmd := &cobra.Command{
		Use:   "enable <username>",
		Short: "Let a disabled user sign in again (AdminEnableUser)",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f)
			opts.Username = args[0]
			if runF != nil {
				return runF(opts)
			}
			return userEnableRun(cmd.Context(), opts)
		},
	}
	if !enable {
		cmd.Use = "disable <username>"
		cmd.Short = "Stop a user from signing in (AdminDisableUser); their cached tokens are dropped"
	}
	return cmd
}

func userEnableRun(ctx context.Context, opts *userEnableOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	verb := "enabled"
	if opts.Enable {
		err = a.Enable(ctx, opts.PoolID, opts.Username)
	} else {
		verb = "disabled"
		err = a.Disable(ctx, opts.PoolID, opts.Username)
	}
	if err != nil {
		return err
	}
	if !opts.Enable {
		opts.DropTokens(opts.Username)
	}
	return opts.done(map[string]any{"username": opts.Username, "enabled": opts.Enable}, "%s %s", verb, opts.Username)
}

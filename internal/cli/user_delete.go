package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userDeleteOptions struct {
	adminOptions
	Username string
	Yes      bool
}

func newUserDeleteCmd(f *Factory, runF func(*userDeleteOptions) error) *cobra.Command {
	opts := &userDeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete <username> [--yes]",
		Short: "Delete a user (AdminDeleteUser)",
		Long: `Delete a user with AdminDeleteUser. The user comes only from the argument,
never from --username or the profile. On a terminal it asks first; --yes skips
the question, and off a terminal --yes is required. The user's cached tokens
are dropped.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userTarget(args)
			if err != nil {
				return err
			}
			opts.Username = name
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userDeleteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func userDeleteRun(ctx context.Context, opts *userDeleteOptions) error {
	err := opts.destroy(ctx, opts.Yes, fmt.Sprintf("delete user %s from %s", opts.Username, opts.PoolID),
		func(a *users.Admin) error { return a.Delete(ctx, opts.PoolID, opts.Username) })
	if err != nil {
		return err
	}
	opts.DropTokens(opts.Username)
	return opts.done(map[string]any{"username": opts.Username, "deleted": true}, "deleted %s", opts.Username)
}

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
			var err error
			if opts.Username, err = userTarget(args); err != nil {
				return err
			}
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
	return opts.changeUser(ctx, userChange{Username: opts.Username, Yes: opts.Yes,
		Question: fmt.Sprintf("delete user %s from %s", opts.Username, opts.PoolID),
		Call:     func(a *users.Admin) error { return a.Delete(ctx, opts.PoolID, opts.Username) },
		Result:   map[string]any{"username": opts.Username, "deleted": true},
		Done:     "deleted " + opts.Username})
}

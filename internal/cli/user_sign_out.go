package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userSignOutOptions struct {
	adminOptions
	Username string
	Yes      bool
}

func newUserSignOutCmd(f *Factory, runF func(*userSignOutOptions) error) *cobra.Command {
	opts := &userSignOutOptions{}
	cmd := &cobra.Command{
		Use:   "sign-out <username> [--yes]",
		Short: "Sign a user out everywhere (AdminUserGlobalSignOut)",
		Long: `Sign a user out of every device with AdminUserGlobalSignOut: all their refresh
tokens are revoked (access and ID tokens stay valid until they expire). The user
comes only from the argument, never from --username or the profile. On a
terminal it asks first; --yes skips the question, and off a terminal --yes is
required. The user's cached tokens are dropped.`,
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
			return userSignOutRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func userSignOutRun(ctx context.Context, opts *userSignOutOptions) error {
	return opts.changeUser(ctx, userChange{Username: opts.Username, Yes: opts.Yes,
		Question: fmt.Sprintf("sign %s out of every device in %s", opts.Username, opts.PoolID),
		Call:     func(a *users.Admin) error { return a.SignOut(ctx, opts.PoolID, opts.Username) },
		Result:   map[string]any{"username": opts.Username, "signed_out": true},
		Done:     fmt.Sprintf("signed %s out everywhere", opts.Username)})
}

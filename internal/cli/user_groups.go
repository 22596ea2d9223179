package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userGroupsOptions struct {
	adminOptions
	Username string
}

func newUserGroupsCmd(f *Factory, runF func(*userGroupsOptions) error) *cobra.Command {
	opts := &userGroupsOptions{}
	cmd := &cobra.Command{
		Use:   "groups <username>",
		Short: "List the groups a user belongs to (AdminListGroupsForUser)",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			opts.adminOptions = f.adminOpts()
			if runF != nil {
				return runF(opts)
			}
			return userGroupsRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func userGroupsRun(ctx context.Context, opts *userGroupsOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	list, err := a.GroupsOf(ctx, opts.PoolID, opts.Username)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		if list == nil {
			list = []users.Group{}
		}
		return writeJSON(opts.IO.Out, list)
	}
	if len(list) == 0 {
		fmt.Fprintf(opts.IO.Out, "%s is in no group\n", opts.Username)
		return nil
	}
	printGroupTable(opts.IO.Out, list)
	return nil
}

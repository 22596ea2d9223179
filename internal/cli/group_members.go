package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type groupMembersOptions struct {
	adminOptions
	Group string
}

func newGroupMembersCmd(f *Factory, runF func(*groupMembersOptions) error) *cobra.Command {
	opts := &groupMembersOptions{}
	return &cobra.Command{
		Use:   "members <group>",
		Short: "List a group's users (ListUsersInGroup, every page)",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Group = args[0]
			opts.adminOptions = f.adminOpts()
			if runF != nil {
				return runF(opts)
			}
			return groupMembersRun(cmd.Context(), opts)
		},
	}
}

func groupMembersRun(ctx context.Context, opts *groupMembersOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	list, err := a.Members(ctx, opts.PoolID, opts.Group)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		if list == nil {
			list = []users.User{}
		}
		return writeJSON(opts.IO.Out, list)
	}
	if len(list) == 0 {
		fmt.Fprintf(opts.IO.Out, "group %s has no members\n", opts.Group)
		return nil
	}
	printUserTable(opts.IO.Out, list, []string{"email"}, opts.Now())
	return nil
}

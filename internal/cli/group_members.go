package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
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
			opts.adminOptions = newAdminOptions(f)
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
	return printUsers(&opts.adminOptions, list, nil, fmt.Sprintf("group %s has no members", opts.Group))
}

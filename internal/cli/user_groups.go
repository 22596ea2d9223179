package cli

import (
	"context"

	"github.com/spf13/cobra"
)

type userGroupsOptions struct {
	adminOptions
	Username string
}

func newUserGroupsCmd(f *Factory, runF func(*userGroupsOptions) error) *cobra.Command {
	opts := &userGroupsOptions{}
	return &cobra.Command{
		Use:   "groups <username>",
		Short: "List the groups a user belongs to (AdminListGroupsForUser)",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userGroupsRun(cmd.Context(), opts)
		},
	}
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
	return printList(&opts.adminOptions, list, opts.Username+" is in no group", groupTable)
}

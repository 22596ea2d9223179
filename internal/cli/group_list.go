package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type groupListOptions struct {
	adminOptions
}

func newGroupListCmd(f *Factory, runF func(*groupListOptions) error) *cobra.Command {
	opts := &groupListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List the pool's groups (ListGroups, every page)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = f.adminOpts()
			if runF != nil {
				return runF(opts)
			}
			return groupListRun(cmd.Context(), opts)
		},
	}
}

func groupListRun(ctx context.Context, opts *groupListOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	list, err := a.Groups(ctx, opts.PoolID)
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
		fmt.Fprintln(opts.IO.Out, "no groups")
		return nil
	}
	printGroupTable(opts.IO.Out, list)
	return nil
}

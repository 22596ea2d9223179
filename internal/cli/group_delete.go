package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type groupDeleteOptions struct {
	adminOptions
	Name string
	Yes  bool
}

func newGroupDeleteCmd(f *Factory, runF func(*groupDeleteOptions) error) *cobra.Command {
	opts := &groupDeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete <name> [--yes]",
		Short: "Delete a group (DeleteGroup); its members stay",
		Long: `Delete a group with DeleteGroup; its members stay in the pool. On a terminal it
asks first; --yes skips the question, and off a terminal --yes is required.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return groupDeleteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func groupDeleteRun(ctx context.Context, opts *groupDeleteOptions) error {
	err := opts.destroy(ctx, opts.Yes, fmt.Sprintf("delete group %s from %s", opts.Name, opts.PoolID),
		func(a *users.Admin) error { return a.DeleteGroup(ctx, opts.PoolID, opts.Name) })
	if err != nil {
		return err
	}
	return opts.done(map[string]any{"group": opts.Name, "deleted": true}, "deleted group %s", opts.Name)
}

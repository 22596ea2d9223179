package cli

import (
	"context"
	"math"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type groupCreateOptions struct {
	adminOptions
	Name        string
	Description string
	Precedence  *int32
	precedence  int
}

func newGroupCreateCmd(f *Factory, runF func(*groupCreateOptions) error) *cobra.Command {
	opts := &groupCreateOptions{}
	cmd := &cobra.Command{
		Use:   "create <name> [--description <text>] [--precedence <n>]",
		Short: "Create a group (CreateGroup)",
		Long: `Create a group with CreateGroup. Its members' tokens list it in cognito:groups,
which 'cogtool verify --group' checks. --precedence orders groups (lower wins)
when a user is in several.`,
		Example: `  cogtool group create admins --description "API administrators" --precedence 1`,
		Args:    argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if cmd.Flags().Changed("precedence") {
				if opts.precedence < 0 || opts.precedence > math.MaxInt32 {
					return usagef(cmd, "--precedence %d: want 0 to %d", opts.precedence, math.MaxInt32)
				}
				p := int32(opts.precedence)
				opts.Precedence = &p
			}
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return groupCreateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Description, "description", "", "the group's description")
	cmd.Flags().IntVar(&opts.precedence, "precedence", 0, "the group's `precedence` (lower wins)")
	return cmd
}

func groupCreateRun(ctx context.Context, opts *groupCreateOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	g, err := a.CreateGroup(ctx, users.GroupParams{PoolID: opts.PoolID, Name: opts.Name,
		Description: opts.Description, Precedence: opts.Precedence})
	if err != nil {
		return err
	}
	return opts.done(g, "created group %s", g.Name)
}

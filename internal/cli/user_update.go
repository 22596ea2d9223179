package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/users"
)

type userUpdateOptions struct {
	adminOptions
	Username   string
	Set        []users.Attribute
	Delete     []string
	rawSet     []string
	rawDeleted []string
}

func newUserUpdateCmd(f *Factory, runF func(*userUpdateOptions) error) *cobra.Command {
	opts := &userUpdateOptions{}
	cmd := &cobra.Command{
		Use:   "update <username> {--attribute <name=value>... | --delete-attribute <name>...}",
		Short: "Change or delete a user's attributes (AdminUpdateUserAttributes, AdminDeleteUserAttributes)",
		Long: `Change or delete a user's attributes. A value may hold '=': only the first
'=' splits (custom:b64=aGVsbG8=). The user's cached tokens are dropped, so the
next sign-in carries the new attributes.`,
		Example: `  cogtool user update alice --attribute custom:dept=R&D --delete-attribute phone_number`,
		Args:    argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Username = args[0]
			if len(opts.rawSet) == 0 && len(opts.rawDeleted) == 0 {
				return usagef(cmd, "give --attribute or --delete-attribute")
			}
			var err error
			if opts.Set, err = parseAttributes(opts.rawSet); err != nil {
				return err
			}
			for _, n := range opts.rawDeleted {
				if err := users.CheckAttributeName(n); err != nil {
					return exit.Usagef("--delete-attribute %q: %w", n, err)
				}
			}
			opts.Delete = opts.rawDeleted
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userUpdateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.rawSet, "attribute", nil, "set attribute `name=value` (repeatable)")
	cmd.Flags().StringArrayVar(&opts.rawDeleted, "delete-attribute", nil, "delete attribute `name` (repeatable)")
	return cmd
}

func userUpdateRun(ctx context.Context, opts *userUpdateOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	if err := a.UpdateAttributes(ctx, opts.PoolID, opts.Username, opts.Set, opts.Delete); err != nil {
		return err
	}
	opts.DropTokens(opts.Username)
	names := make([]string, 0, len(opts.Set))
	for _, s := range opts.Set {
		names = append(names, s.Name)
	}
	deleted := opts.Delete
	if deleted == nil {
		deleted = []string{}
	}
	return opts.done(map[string]any{"username": opts.Username, "updated": names, "deleted": deleted},
		"updated %s: %d set, %d deleted", opts.Username, len(names), len(deleted))
}

package cli

import (
	"context"

	"github.com/spf13/cobra"
)

type groupAddOptions struct {
	adminOptions
	Group string
	Users []string
	// Remove makes the command `group remove`.
	Remove bool
}

func newGroupAddCmd(f *Factory, runF func(*groupAddOptions) error) *cobra.Command {
	return newGroupMembershipCmd(f, runF, false)
}

// newGroupMembershipCmd builds `group add` or, with remove, `group remove`.
func newGroupMembershipCmd(f *Factory, runF func(*groupAddOptions) error, remove bool) *cobra.Command {
	opts := &groupAddOptions{Remove: remove}
	cmd := &cobra.Command{
		Use:   "add <group> <username>...",
		Short: "Add users to a group (AdminAddUserToGroup); their cached tokens are dropped",
		Long: `Add users to a group with AdminAddUserToGroup. Tokens issued before the change
do not list the group, so each user's cached tokens are dropped: the next
sign-in carries the new cognito:groups.`,
		Example: `  cogtool group add admins alice bob`,
		Args:    argsUsage(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Group, opts.Users = args[0], args[1:]
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return groupAddRun(cmd.Context(), opts)
		},
	}
	if remove {
		cmd.Use = "remove <group> <username>..."
		cmd.Short = "Remove users from a group (AdminRemoveUserFromGroup); their cached tokens are dropped"
		cmd.Long = `Remove users from a group with AdminRemoveUserFromGroup. Tokens issued before
the change still list the group until they expire, so each user's cached tokens
are dropped. Tokens already handed out stay valid: sign the user out
('cogtool user sign-out') to stop their refresh.`
		cmd.Example = `  cogtool group remove admins alice`
	}
	return cmd
}

func groupAddRun(ctx context.Context, opts *groupAddOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	verb, prep := "added", "to"
	if opts.Remove {
		verb, prep = "removed", "from"
	}
	for _, u := range opts.Users {
		if opts.Remove {
			err = a.RemoveFromGroup(ctx, opts.PoolID, opts.Group, u)
		} else {
			err = a.AddToGroup(ctx, opts.PoolID, opts.Group, u)
		}
		if err != nil {
			return err
		}
		opts.DropTokens(u)
		if opts.Output != "json" {
			opts.IO.ErrOut.Write([]byte(verb + " " + u + " " + prep + " " + opts.Group + "\n"))
		}
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, map[string]any{"group": opts.Group, verb: opts.Users})
	}
	return nil
}

package cli

import "github.com/spf13/cobra"

// `group remove` shares its options and run function with `group add`.
func newGroupRemoveCmd(f *Factory, runF func(*groupAddOptions) error) *cobra.Command {
	return newGroupMembershipCmd(f, runF, true)
}

package cli

import "github.com/spf13/cobra"

func newGroupRootCmd(f *Factory) *cobra.Command {
	return newGroupCmd("group <command>", "List, create and delete groups; add and remove members",
		newGroupListCmd(f, nil), newGroupCreateCmd(f, nil), newGroupDeleteCmd(f, nil),
		newGroupAddCmd(f, nil), newGroupRemoveCmd(f, nil), newGroupMembersCmd(f, nil))
}

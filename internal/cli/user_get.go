package cli

import (
	"github.com/spf13/cobra"
)

func newUserGetCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "get [<username>]",
		Short: "Show a user's status and attributes (AdminGetUser)",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, a, err := f.adminFor(cmd, args)
			if err != nil {
				return err
			}
			u, err := a.Get(cmd.Context(), f.Settings.UserPoolID, name)
			if err != nil {
				return err
			}
			f.printUser(u)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	return cmd
}

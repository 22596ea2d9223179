package cli

import (
	"fmt"

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

func newUserDeleteCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete [<username>]",
		Short: "Delete a user (AdminDeleteUser)",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, a, err := f.adminFor(cmd, args)
			if err != nil {
				return err
			}
			if err := a.Delete(cmd.Context(), f.Settings.UserPoolID, name); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "deleted %s\n", name)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	return cmd
}

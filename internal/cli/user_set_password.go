package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

func newUserSetPasswordCmd(f *Factory) *cobra.Command {
	var (
		fromStdin bool
		temporary bool
	)
	cmd := &cobra.Command{
		Use:   "set-password [<username>] [flags]",
		Short: "Set a user's password (AdminSetUserPassword), permanent unless --temporary",
		Long: `Set a user's password with AdminSetUserPassword. A permanent password moves a
user out of FORCE_CHANGE_PASSWORD into CONFIRMED, like
'aws cognito-idp admin-set-user-password --permanent'.
The password comes from --password-stdin, $COGTOOL_PASSWORD or a prompt without echo.`,
		Example: `  printf '%s\n' "$NEW_PW" | cogtool user set-password alice --password-stdin`,
		Args:    argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, a, err := f.adminFor(cmd, args)
			if err != nil {
				return err
			}
			pw, err := f.readNewPassword(fromStdin, fmt.Sprintf("New password for %s: ", name))
			if err != nil {
				return err
			}
			f.AddSecret(pw)
			if err := a.SetPassword(cmd.Context(), f.Settings.UserPoolID, name, pw, !temporary); err != nil {
				return err
			}
			kind := "permanent"
			if temporary {
				kind = "temporary"
			}
			// The status line stays on stderr unless JSON is asked for.
			if f.explicitOutput() == "json" {
				b, _ := json.Marshal(map[string]any{"username": name, "password_set": true, "permanent": !temporary})
				fmt.Fprintln(f.IO.Out, string(b))
				return nil
			}
			fmt.Fprintf(f.IO.ErrOut, "set a %s password for %s\n", kind, name)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, flagUsage("password-stdin"))
	cmd.Flags().BoolVar(&temporary, "temporary", false, "make the user change it at next sign-in (FORCE_CHANGE_PASSWORD)")
	return cmd
}

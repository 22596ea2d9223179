package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

func newUserCreateCmd(f *Factory) *cobra.Command {
	var (
		attrs    []string
		tempFile string
		suppress bool
	)
	cmd := &cobra.Command{
		Use:   "create [<username>] [flags]",
		Short: "Create a user (AdminCreateUser); it starts in FORCE_CHANGE_PASSWORD",
		Long: `Create a user with AdminCreateUser. The user starts in FORCE_CHANGE_PASSWORD:
set a permanent password with 'cogtool user set-password' to confirm it.
Uses the AWS SDK's default credentials (AWS_PROFILE, shared config, environment).`,
		Example: `  cogtool user create alice --attribute email=alice@example.com --attribute email_verified=true --suppress-message`,
		Args:    argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := f.userArg(cmd, args)
			if err != nil {
				return err
			}
			list, err := parseAttributes(attrs)
			if err != nil {
				return err
			}
			p := users.CreateParams{PoolID: f.Settings.UserPoolID, Username: name, Attributes: list, SuppressMessage: suppress}
			if tempFile != "" {
				if p.TemporaryPassword, err = f.readPasswordFile(tempFile, "temporary password"); err != nil {
					return err
				}
			}
			a, err := f.adminClient(cmd.Context())
			if err != nil {
				return err
			}
			u, err := a.Create(cmd.Context(), p)
			if err != nil {
				return err
			}
			if f.outputMode() == "json" {
				f.printUser(u)
				return nil
			}
			fmt.Fprintf(f.IO.Out, "created %s: %s\n", u.Username, u.Status)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringArrayVar(&attrs, "attribute", nil, "user attribute `name=value` (repeatable)")
	cmd.Flags().StringVar(&tempFile, "temporary-password-file", "", "read the temporary password from `file` (- for stdin)")
	cmd.Flags().BoolVar(&suppress, "suppress-message", false, "do not send the invitation message")
	return cmd
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

type userSetPasswordOptions struct {
	adminOptions
	Username  string
	Temporary bool
	// NewPassword reads the password (stdin, $COGTOOL_PASSWORD, or a
	// prompt asked twice).
	NewPassword func(prompt string) (string, error)
}

func newUserSetPasswordCmd(f *Factory, runF func(*userSetPasswordOptions) error) *cobra.Command {
	opts := &userSetPasswordOptions{}
	var fromStdin bool
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
			var err error
			if opts.Username, err = userArg(cmd, args, f.Settings.Username); err != nil {
				return err
			}
			opts.adminOptions = newAdminOptions(f)
			// The status line stays on stderr unless JSON is asked for.
			if f.explicitOutput() != "json" {
				opts.Output = "text"
			}
			opts.NewPassword = f.Input().newPasswordReader(fromStdin)
			if runF != nil {
				return runF(opts)
			}
			return userSetPasswordRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, flagUsage("password-stdin"))
	cmd.Flags().BoolVar(&opts.Temporary, "temporary", false, "make the user change it at next sign-in (FORCE_CHANGE_PASSWORD)")
	return cmd
}

func userSetPasswordRun(ctx context.Context, opts *userSetPasswordOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	pw, err := opts.NewPassword(fmt.Sprintf("New password for %s: ", opts.Username))
	if err != nil {
		return err
	}
	if err := a.SetPassword(ctx, opts.PoolID, opts.Username, pw, !opts.Temporary); err != nil {
		return err
	}
	if opts.Output == "json" {
		// One line, not writeJSON's indented form: scripts match it whole.
		b, err := json.Marshal(map[string]any{"username": opts.Username, "password_set": true, "permanent": !opts.Temporary})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(opts.IO.Out, string(b))
		return err
	}
	kind := "permanent"
	if opts.Temporary {
		kind = "temporary"
	}
	fmt.Fprintf(opts.IO.ErrOut, "set a %s password for %s\n", kind, opts.Username)
	return nil
}

package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/users"
)

type userChangePasswordOptions struct {
	appOptions
	Username string
	// AccessToken returns the current user's cached access token.
	AccessToken func(context.Context) (string, error)
	// OldPassword and NewPassword read the two passwords.
	OldPassword func(prompt string) (string, error)
	NewPassword func(prompt string) (string, error)
}

func newUserChangePasswordCmd(f *Factory, runF func(*userChangePasswordOptions) error) *cobra.Command {
	opts := &userChangePasswordOptions{}
	var (
		fromStdin bool
		newFile   string
	)
	cmd := &cobra.Command{
		Use:   "change-password [--password-stdin] [--new-password-file <file>]",
		Short: "Change the current user's own password (ChangePassword)",
		Long: `Change the current user's password with ChangePassword, authorized by their
cached access token (sign in first with 'cogtool token password', srp or login;
an expired access token is refreshed). The current password comes from
--password-stdin, $COGTOOL_PASSWORD or a prompt; the new one from
--new-password-file, $COGTOOL_NEW_PASSWORD or a prompt asked twice.
No AWS credentials are needed.`,
		Example: `  cogtool user change-password --username alice --new-password-file new.txt`,
		Args:    argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if fromStdin && newFile == "-" {
				return usagef(cmd, "--password-stdin and --new-password-file - cannot both read stdin")
			}
			opts.appOptions = newAppOptions(f)
			opts.Username = f.Settings.Username
			userTokens := currentUserTokens(f)
			opts.AccessToken = func(ctx context.Context) (string, error) {
				e, err := userTokens(ctx)
				if err != nil {
					return "", err
				}
				return e.AccessToken, nil
			}
			opts.OldPassword = func(prompt string) (string, error) {
				return f.Input().readPassword(fromStdin, prompt)
			}
			opts.NewPassword = func(prompt string) (string, error) {
				a := newAnswerer(f)
				a.newPasswordFile = newFile
				if newFile != "" || f.Getenv("COGTOOL_NEW_PASSWORD") != "" || !f.IO.CanPrompt() {
					pw, err := a.newPassword()
					if err != nil {
						return "", exit.Usagef("no new password: use --new-password-file or set $COGTOOL_NEW_PASSWORD")
					}
					return pw, nil
				}
				return f.Input().promptTwice(prompt)
			}
			if runF != nil {
				return runF(opts)
			}
			return userChangePasswordRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, flagUsage("password-stdin"))
	cmd.Flags().StringVar(&newFile, "new-password-file", "", flagUsage("new-password-file"))
	return cmd
}

func userChangePasswordRun(ctx context.Context, opts *userChangePasswordOptions) error {
	tok, err := opts.AccessToken(ctx)
	if err != nil {
		return err
	}
	old, err := opts.OldPassword(fmt.Sprintf("Current password for %s: ", opts.Username))
	if err != nil {
		return err
	}
	pw, err := opts.NewPassword(fmt.Sprintf("New password for %s: ", opts.Username))
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := users.ChangePassword(ctx, c, tok, old, pw); err != nil {
		return err
	}
	return printDone(opts.IO, opts.Output, map[string]any{"username": opts.Username, "password_changed": true},
		"changed the password of %s", opts.Username)
}

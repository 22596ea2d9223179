package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

func newUserSignUpCmd(f *Factory) *cobra.Command {
	var (
		attrs     []string
		fromStdin bool
	)
	cmd := &cobra.Command{
		Use:   "sign-up [<username>] [flags]",
		Short: "Register a user through the app client (SignUp)",
		Long: `Register a user with SignUp, as an app does; SECRET_HASH is computed when the
app client has a secret. Prints whether the user must confirm and where the code
went. No AWS credentials are needed.`,
		Example: `  printf '%s\n' "$PW" | cogtool user sign-up bob --attribute email=bob@example.com --password-stdin`,
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
			secret, err := f.appClient()
			if err != nil {
				return err
			}
			f.addSecretHash(name, secret)
			c, err := f.cognitoClient()
			if err != nil {
				return err
			}
			pw, err := f.readNewPassword(fromStdin, fmt.Sprintf("Password for %s: ", name))
			if err != nil {
				return err
			}
			f.AddSecret(pw)
			r, err := users.SignUp(cmd.Context(), c, users.SignUpParams{ClientID: f.Settings.ClientID,
				ClientSecret: secret, Username: name, Password: pw, Attributes: list})
			if err != nil {
				return err
			}
			if f.outputMode() == "json" {
				b, _ := json.MarshalIndent(r, "", "  ")
				fmt.Fprintln(f.IO.Out, string(b))
				return nil
			}
			if r.Confirmed {
				fmt.Fprintf(f.IO.Out, "signed up %s: confirmed\n", r.Username)
				return nil
			}
			fmt.Fprintf(f.IO.Out, "signed up %s: needs confirmation\n", r.Username)
			if r.Destination != "" {
				fmt.Fprintf(f.IO.Out, "code sent by %s to %s\n", r.Medium, r.Destination)
			}
			fmt.Fprintf(f.IO.ErrOut, "confirm with: cogtool user confirm %s --code <code>\n", r.Username)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringArrayVar(&attrs, "attribute", nil, "user attribute `name=value` (repeatable)")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, flagUsage("password-stdin"))
	return cmd
}

func newUserConfirmCmd(f *Factory) *cobra.Command {
	var (
		code  string
		admin bool
	)
	cmd := &cobra.Command{
		Use:   "confirm [<username>] {--code <code> | --admin}",
		Short: "Confirm a signed-up user (ConfirmSignUp --code, or AdminConfirmSignUp --admin)",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := f.userArg(cmd, args)
			if err != nil {
				return err
			}
			if (code == "") == !admin {
				return usagef(cmd, "give exactly one of --code or --admin")
			}
			if admin {
				a, err := f.adminClient(cmd.Context())
				if err != nil {
					return err
				}
				if err := a.AdminConfirm(cmd.Context(), f.Settings.UserPoolID, name); err != nil {
					return err
				}
			} else {
				secret, err := f.appClient()
				if err != nil {
					return err
				}
				f.addSecretHash(name, secret)
				c, err := f.cognitoClient()
				if err != nil {
					return err
				}
				if err := users.Confirm(cmd.Context(), c, f.Settings.ClientID, secret, name, code); err != nil {
					return err
				}
			}
			fmt.Fprintf(f.IO.ErrOut, "confirmed %s\n", name)
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&code, "code", "", "confirmation `code` the user received")
	cmd.Flags().BoolVar(&admin, "admin", false, "confirm with AdminConfirmSignUp (needs AWS credentials)")
	return cmd
}

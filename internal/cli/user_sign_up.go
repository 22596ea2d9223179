package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userSignUpOptions struct {
	appOptions
	Username   string
	Attributes []users.Attribute
	// Password reads the new user's password (stdin, $COGTOOL_PASSWORD,
	// or a prompt asked twice).
	Password func(prompt string) (string, error)
}

func newUserSignUpCmd(f *Factory, runF func(*userSignUpOptions) error) *cobra.Command {
	opts := &userSignUpOptions{}
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
			var err error
			if opts.Username, err = userArg(cmd, args, f.Settings.Username); err != nil {
				return err
			}
			if opts.Attributes, err = parseAttributes(attrs); err != nil {
				return err
			}
			opts.appOptions = newAppOptions(f)
			opts.Password = f.Input().newPasswordReader(fromStdin)
			if runF != nil {
				return runF(opts)
			}
			return userSignUpRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringArrayVar(&attrs, "attribute", nil, "user attribute `name=value` (repeatable)")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, flagUsage("password-stdin"))
	return cmd
}

func userSignUpRun(ctx context.Context, opts *userSignUpOptions) error {
	app, c, err := opts.unsigned(opts.Username)
	if err != nil {
		return err
	}
	pw, err := opts.Password(fmt.Sprintf("Password for %s: ", opts.Username))
	if err != nil {
		return err
	}
	r, err := users.SignUp(ctx, c, users.SignUpParams{ClientID: app.ID, ClientSecret: app.Secret,
		Username: opts.Username, Password: pw, Attributes: opts.Attributes})
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, r)
	}
	if r.Confirmed {
		fmt.Fprintf(opts.IO.Out, "signed up %s: confirmed\n", r.Username)
		return nil
	}
	fmt.Fprintf(opts.IO.Out, "signed up %s: needs confirmation\n", r.Username)
	if r.Destination != "" {
		fmt.Fprintf(opts.IO.Out, "code sent by %s to %s\n", r.Medium, r.Destination)
	}
	fmt.Fprintf(opts.IO.ErrOut, "confirm with: cogtool user confirm %s --code <code>\n", r.Username)
	return nil
}

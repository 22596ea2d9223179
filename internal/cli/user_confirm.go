package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/users"
)

type userConfirmOptions struct {
	appOptions
	// Admin, with --admin, confirms with AdminConfirmSignUp instead of a
	// code; nil otherwise.
	Admin    func(context.Context) (*users.Admin, error)
	PoolID   string
	Username string
	Code     string
}

func newUserConfirmCmd(f *Factory, runF func(*userConfirmOptions) error) *cobra.Command {
	opts := &userConfirmOptions{}
	var admin bool
	cmd := &cobra.Command{
		Use:   "confirm [<username>] {--code <code> | --admin}",
		Short: "Confirm a signed-up user (ConfirmSignUp --code, or AdminConfirmSignUp --admin)",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Username, err = userArg(cmd, args, f.Settings.Username); err != nil {
				return err
			}
			if (opts.Code == "") == !admin {
				return usagef(cmd, "give exactly one of --code or --admin")
			}
			opts.Code = f.Input().flagSecret(opts.Code)
			opts.appOptions = newAppOptions(f)
			if admin {
				a := newAdminOptions(f)
				opts.Admin, opts.PoolID = a.Admin, a.PoolID
			}
			if runF != nil {
				return runF(opts)
			}
			return userConfirmRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&opts.Code, "code", "", "confirmation `code` the user received")
	cmd.Flags().BoolVar(&admin, "admin", false, "confirm with AdminConfirmSignUp (needs AWS credentials)")
	return cmd
}

func userConfirmRun(ctx context.Context, opts *userConfirmOptions) error {
	if opts.Admin != nil {
		a, err := opts.Admin(ctx)
		if err != nil {
			return err
		}
		if err := a.AdminConfirm(ctx, opts.PoolID, opts.Username); err != nil {
			return err
		}
	} else {
		app, c, err := opts.unsigned(opts.Username)
		if err != nil {
			return err
		}
		if err := users.Confirm(ctx, c, app.ID, app.Secret, opts.Username, opts.Code); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "confirmed %s\n", opts.Username)
	return nil
}

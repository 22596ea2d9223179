package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/users"
)

type userGetOptions struct {
	adminOptions
	Username string
}

func newUserGetCmd(f *Factory, runF func(*userGetOptions) error) *cobra.Command {
	opts := &userGetOptions{}
	cmd := &cobra.Command{
		Use:   "get [<username>]",
		Short: "Show a user's status and attributes (AdminGetUser)",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Username, err = userArg(cmd, args, f.Settings.Username); err != nil {
				return err
			}
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userGetRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	return cmd
}

func userGetRun(ctx context.Context, opts *userGetOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	u, err := a.Get(ctx, opts.PoolID, opts.Username)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, u)
	}
	printUser(opts.IO.Out, u, opts.Now())
	return nil
}

// printUser shows a user to people: status, times and attributes, aligned.
func printUser(w io.Writer, u *users.User, now time.Time) {
	fmt.Fprintf(w, "%-12s %s\n", "username:", u.Username)
	fmt.Fprintf(w, "%-12s %s\n", "status:", u.Status)
	fmt.Fprintf(w, "%-12s %t\n", "enabled:", u.Enabled)
	for _, t := range []struct {
		k string
		v *time.Time
	}{{"created:", u.Created}, {"modified:", u.Modified}} {
		if t.v != nil {
			fmt.Fprintf(w, "%-12s %s (%s)\n", t.k, t.v.Local().Format(time.RFC3339), decode.Relative(t.v.Sub(now)))
		}
	}
	if names := u.AttributeNames(); len(names) > 0 {
		fmt.Fprintln(w, "attributes:")
		width := 0
		for _, n := range names {
			width = max(width, len(n))
		}
		for _, n := range names {
			fmt.Fprintf(w, "  %-*s  %s\n", width, n, decode.Sanitize(u.Attributes[n]))
		}
	}
}

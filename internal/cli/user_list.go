package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/users"
)

type userListOptions struct {
	adminOptions
	Filter     string
	Limit      int
	Attributes []string
}

func newUserListCmd(f *Factory, runF func(*userListOptions) error) *cobra.Command {
	opts := &userListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--filter <filter>] [--limit <n>] [--attributes <a,b>]",
		Short: "List the pool's users (ListUsers, every page)",
		Long: `List the pool's users with ListUsers, reading every page.

--filter takes Cognito's filter syntax, checked before anything is sent:
name = "value" (exact) or name ^= "value" (prefix), on one of username,
email, phone_number, name, given_name, family_name, preferred_username,
cognito:user_status, status or sub. --limit stops after that many users,
across pages. --attributes asks only for those attributes.
A table on a terminal, JSON otherwise.`,
		Example: `  cogtool user list --filter 'email ^= "alice"'
  cogtool user list --limit 10 --attributes email,custom:dept -o json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return userListRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Filter, "filter", "", "ListUsers `filter`, like 'email = \"a@b.c\"'")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "stop after `n` users (0: all)")
	cmd.Flags().StringSliceVar(&opts.Attributes, "attributes", nil, "only these attributes (comma-separated `names`)")
	return cmd
}

func userListRun(ctx context.Context, opts *userListOptions) error {
	p := users.ListParams{PoolID: opts.PoolID, Filter: opts.Filter, Limit: opts.Limit, Attributes: opts.Attributes}
	// Checked before credentials are loaded: a typo costs no round trip.
	if err := users.CheckFilter(p.Filter); err != nil {
		return err
	}
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	list, err := a.List(ctx, p)
	if err != nil {
		return err
	}
	return printUsers(&opts.adminOptions, list, opts.Attributes, "no users")
}

// printUsers prints users as JSON, or as an aligned table with the
// attribute columns cols (nil: email); empty is what people see when
// there are none.
func printUsers(opts *adminOptions, list []users.User, cols []string, empty string) error {
	if cols == nil {
		cols = []string{"email"}
	}
	now := opts.Now()
	return printList(opts, list, empty, func(w0 io.Writer, list []users.User) { userTable(w0, list, cols, now) })
}

func userTable(w0 io.Writer, list []users.User, cols []string, now time.Time) {
	w := tabwriter.NewWriter(w0, 0, 0, 2, ' ', 0)
	fmt.Fprint(w, "USERNAME\tSTATUS\tENABLED")
	for _, c := range cols {
		fmt.Fprintf(w, "\t%s", decode.Sanitize(c))
	}
	fmt.Fprintln(w, "\tCREATED")
	for _, u := range list {
		fmt.Fprintf(w, "%s\t%s\t%t", decode.Sanitize(u.Username), u.Status, u.Enabled)
		for _, c := range cols {
			v := u.Attributes[c]
			if v == "" {
				v = "-"
			}
			fmt.Fprintf(w, "\t%s", decode.Sanitize(v))
		}
		created := "-"
		if u.Created != nil {
			created = decode.Relative(u.Created.Sub(now))
		}
		fmt.Fprintf(w, "\t%s\n", created)
	}
	w.Flush()
}

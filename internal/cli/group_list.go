package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/users"
)

type groupListOptions struct {
	adminOptions
}

func newGroupListCmd(f *Factory, runF func(*groupListOptions) error) *cobra.Command {
	opts := &groupListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List the pool's groups (ListGroups, every page)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f)
			if runF != nil {
				return runF(opts)
			}
			return groupListRun(cmd.Context(), opts)
		},
	}
}

func groupListRun(ctx context.Context, opts *groupListOptions) error {
	a, err := opts.Admin(ctx)
	if err != nil {
		return err
	}
	list, err := a.Groups(ctx, opts.PoolID)
	if err != nil {
		return err
	}
	return printList(&opts.adminOptions, list, "no groups", groupTable)
}

// groupTable prints groups as an aligned table.
func groupTable(out io.Writer, list []users.Group) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tPRECEDENCE\tDESCRIPTION")
	for _, g := range list {
		prec := "-"
		if g.Precedence != nil {
			prec = strconv.Itoa(int(*g.Precedence))
		}
		desc := g.Description
		if desc == "" {
			desc = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", decode.Sanitize(g.Name), prec, decode.Sanitize(desc))
	}
	w.Flush()
}

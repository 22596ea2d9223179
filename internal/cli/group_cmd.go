package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/users"
)

func newGroupRootCmd(f *Factory) *cobra.Command {
	return newGroupCmd("group <command>", "List, create and delete groups; add and remove members",
		newGroupListCmd(f, nil), newGroupCreateCmd(f, nil), newGroupDeleteCmd(f, nil),
		newGroupAddCmd(f, nil), newGroupRemoveCmd(f, nil), newGroupMembersCmd(f, nil))
}

// printGroupTable prints groups as an aligned table.
func printGroupTable(out io.Writer, list []users.Group) {
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

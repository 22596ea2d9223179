package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/build"
)

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit, build date and Go version",
		Args:  argsUsage(cobra.NoArgs),
		// version must work even with a broken config file.
		Annotations: map[string]string{annotationNoSettings: "1"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			i := build.Get()
			if f.machineMode("text") == "json" {
				b, _ := json.MarshalIndent(i, "", "  ")
				fmt.Fprintln(f.IO.Out, string(b))
				return nil
			}
			fmt.Fprintf(f.IO.Out, "cogtool version %s\ncommit:  %s\nbuilt:   %s\ngo:      %s (%s)\n",
				i.Version, i.Commit, i.Date, i.GoVersion, i.Platform)
			return nil
		},
	}
}

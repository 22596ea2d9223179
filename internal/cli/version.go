package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type versionOptions struct {
	IO     *iostreams.IOStreams
	Output string // "text" or "json", resolved
	Info   build.Info
}

func newVersionCmd(f *Factory, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{}
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit, build date and Go version",
		Args:  argsUsage(cobra.NoArgs),
		// version must work even with a broken config file.
		Annotations: map[string]string{annotationNoSettings: "1"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.IO, opts.Output, opts.Info = f.IO, f.Output, build.Get()
			if runF != nil {
				return runF(opts)
			}
			return versionRun(cmd.Context(), opts)
		},
	}
}

func versionRun(_ context.Context, opts *versionOptions) error {
	i := opts.Info
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, i)
	}
	fmt.Fprintf(opts.IO.Out, "cogtool version %s\ncommit:  %s\nbuilt:   %s\ngo:      %s (%s)\n",
		i.Version, i.Commit, i.Date, i.GoVersion, i.Platform)
	return nil
}

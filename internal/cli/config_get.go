package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type configGetOptions struct {
	IO      *iostreams.IOStreams
	File    *config.File
	Profile string
	Key     string
}

func newConfigGetCmd(f *Factory, runF func(*configGetOptions) error) *cobra.Command {
	opts := &configGetOptions{}
	return &cobra.Command{
		Use:   "get <key>",
		Short: "Print one setting of the profile",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IO, opts.File, opts.Profile, opts.Key = f.IO, f.Settings.file, f.Settings.Profile, args[0]
			if runF != nil {
				return runF(opts)
			}
			return configGetRun(cmd.Context(), opts)
		},
	}
}

func configGetRun(_ context.Context, opts *configGetOptions) error {
	v, err := opts.File.Get(opts.Profile, opts.Key)
	if err != nil {
		return err
	}
	if v == "" {
		// Like `git config`: an unset key exits 1, so scripts can tell
		// it from a key set to a value.
		return exit.New(exit.Unexpected, "%s is not set in profile %s", opts.Key, opts.Profile)
	}
	fmt.Fprintln(opts.IO.Out, v)
	return nil
}

package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type configUnsetOptions struct {
	IO      *iostreams.IOStreams
	File    *config.File
	Path    string
	Profile string
	Key     string
}

func newConfigUnsetCmd(f *Factory, runF func(*configUnsetOptions) error) *cobra.Command {
	opts := &configUnsetOptions{}
	return &cobra.Command{
		Use:   "unset <key>",
		Short: "Remove one setting from the profile",
		Long:  `Remove one setting from the profile. Keys: ` + strings.Join(config.Keys, ", ") + `.`,
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			opts.IO, opts.File, opts.Path, opts.Profile, opts.Key = f.IO, s.file, s.ConfigPath, s.Profile, args[0]
			if runF != nil {
				return runF(opts)
			}
			return configUnsetRun(cmd.Context(), opts)
		},
	}
}

func configUnsetRun(_ context.Context, opts *configUnsetOptions) error {
	if _, ok := opts.File.Profiles[opts.Profile]; !ok {
		if err := opts.File.Unset(opts.Profile, opts.Key); err != nil {
			return err // an unknown key is still an error
		}
		fmt.Fprintf(opts.IO.ErrOut, "profile %s has no settings; nothing to unset\n", opts.Profile)
		return nil
	}
	if err := opts.File.Unset(opts.Profile, opts.Key); err != nil {
		return err
	}
	return opts.File.Save(opts.Path)
}

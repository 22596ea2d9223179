package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type configSetOptions struct {
	IO      *iostreams.IOStreams
	File    *config.File
	Path    string
	Profile string
	Key     string
	Value   string
}

func newConfigSetCmd(f *Factory, runF func(*configSetOptions) error) *cobra.Command {
	opts := &configSetOptions{}
	return &cobra.Command{
		Use:   "set <key> <value>",
		Short: "Set one setting of the profile (the file is written with mode 0600)",
		Long: `Set one setting of the profile. Keys: ` + strings.Join(config.Keys, ", ") + `.

client_secret takes only a reference: "env:NAME" or "file:PATH", never the secret.
scopes takes a list separated by white space.`,
		Example: `  cogtool config set user_pool_id us-east-1_AbC123
  cogtool config set client_secret env:DEMO_CLIENT_SECRET --profile demo
  cogtool config set scopes "dotnet-demo/dotnet"`,
		Args:        argsUsage(cobra.ExactArgs(2)),
		Annotations: map[string]string{annotationNewProfile: "1"},
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			opts.IO, opts.File, opts.Path, opts.Profile = f.IO, s.file, s.ConfigPath, s.Profile
			opts.Key, opts.Value = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return configSetRun(cmd.Context(), opts)
		},
	}
}

func configSetRun(_ context.Context, opts *configSetOptions) error {
	if err := opts.File.Set(opts.Profile, opts.Key, opts.Value); err != nil {
		return err
	}
	if path, ok := strings.CutPrefix(opts.Value, "file:"); ok && opts.Key == "client_secret" {
		warnIfLoose(path, func(msg string) { warn(opts.IO, msg) })
	}
	return opts.File.Save(opts.Path)
}

package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/exit"
)

func newConfigCmd(f *Factory) *cobra.Command {
	return newGroupCmd("config <command>", "Read and write profiles in the config file",
		newConfigListCmd(f), newConfigGetCmd(f), newConfigSetCmd(f), newConfigUnsetCmd(f, nil), newConfigInitCmd(f, nil))
}

func newConfigListCmd(f *Factory) *cobra.Command {
	var resolved bool
	cmd := &cobra.Command{
		Use:   "list [--resolved]",
		Short: "List the settings of the profile (all profiles with -o json)",
		Long: `List the settings of the profile as the config file holds them; -o json prints
every profile, with the file's key names.

--resolved shows instead each setting as a command would use it, and where its
value came from: a flag, which environment variable, the profile, or derived
(the region from the pool id, the token URL from the domain...), like
'aws configure list'. A client secret is shown only as its reference.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := f.Settings
			if resolved {
				return configListResolved(f, cmd)
			}
			if f.outputMode() == "json" {
				profiles := map[string]any{}
				for _, name := range s.file.ProfileNames() {
					profiles[name] = s.file.Map(name)
				}
				return writeJSON(f.IO.Out, map[string]any{"profiles": profiles})
			}
			fmt.Fprintf(f.IO.ErrOut, "# %s, profile %s\n", s.ConfigPath, s.Profile)
			for _, k := range config.Keys {
				v, _ := s.file.Get(s.Profile, k)
				if v != "" {
					fmt.Fprintf(f.IO.Out, "%-14s %s\n", k, v)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&resolved, "resolved", false, "show each setting's value and where it came from")
	return cmd
}

func newConfigGetCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "get <key>",
		Short: "Print one setting of the profile",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := f.Settings.file.Get(f.Settings.Profile, args[0])
			if err != nil {
				return err
			}
			if v == "" {
				// Like `git config`: an unset key exits 1, so scripts can tell
				// it from a key set to a value.
				return exit.New(exit.Unexpected, "%s is not set in profile %s", args[0], f.Settings.Profile)
			}
			fmt.Fprintln(f.IO.Out, v)
			return nil
		},
	}
}

func newConfigSetCmd(f *Factory) *cobra.Command {
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
			if err := s.file.Set(s.Profile, args[0], args[1]); err != nil {
				return err
			}
			if path, ok := strings.CutPrefix(args[1], "file:"); ok && args[0] == "client_secret" {
				warnIfLoose(path, f.warn)
			}
			return s.file.Save(s.ConfigPath)
		},
	}
}

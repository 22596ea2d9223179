package cli

import (
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
)

// flagValues are the values shell completion offers for a flag, by flag
// name; a command may narrow them (call's --which has no refresh token).
var flagValues = map[string][]string{
	"output":      {"auto", "text", "json", "token"},
	"which":       {"access", "id", "refresh"},
	"token-use":   {"access", "id", "any"},
	"auth-method": {"basic", "post"},
}

// addCompletions registers completion of flag values and of config keys
// and values on every command under root.
func addCompletions(root *cobra.Command, f *Factory) {
	_ = root.RegisterFlagCompletionFunc("profile", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return profileNames(cmd, f.Getenv), cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(flagValues["output"], cobra.ShellCompDirectiveNoFileComp))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for name, values := range flagValues {
			fl := c.Flags().Lookup(name)
			if fl == nil || name == "output" {
				continue
			}
			if name == "which" && c.Name() == "call" {
				values = []string{"access", "id"}
			}
			_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		if c.Name() != "config" {
			continue
		}
		for _, sub := range c.Commands() {
			switch sub.Name() {
			case "get":
				sub.ValidArgsFunction = completeConfigArgs(1)
			case "set":
				sub.ValidArgsFunction = completeConfigArgs(2)
			}
		}
	}
}

// completeConfigArgs completes a config key, then (for set) the values of
// keys that have a fixed set.
func completeConfigArgs(n int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		switch {
		case len(args) == 0:
			return config.Keys, cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && n == 2 && args[0] == "flow":
			return config.Flows, cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && n == 2 && args[0] == "client_secret":
			return []string{"env:", "file:"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// profileNames lists the profiles of the config file that --config or
// $COGTOOL_CONFIG names (or the default one); none when it cannot be read.
func profileNames(cmd *cobra.Command, getenv func(string) string) []string {
	path := ""
	if fl := cmd.Flag("config"); fl != nil && fl.Changed {
		path = fl.Value.String()
	} else if getenv != nil {
		path = getenv("COGTOOL_CONFIG")
	}
	if strings.TrimSpace(path) == "" {
		path = config.DefaultPath()
	}
	file, err := config.Load(path)
	if err != nil || file == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(file.Profiles))
}

package cli

import "github.com/spf13/cobra"

func newConfigCmd(f *Factory) *cobra.Command {
	return newGroupCmd("config <command>", "Read and write profiles in the config file",
		newConfigListCmd(f, nil), newConfigGetCmd(f, nil), newConfigSetCmd(f, nil), newConfigUnsetCmd(f, nil), newConfigInitCmd(f, nil))
}

package cli

import "github.com/spf13/cobra"

// `user disable` shares its options and run function with `user enable`.
func newUserDisableCmd(f *Factory, runF func(*userEnableOptions) error) *cobra.Command {
	return newUserEnabledCmd(f, runF, false)
}

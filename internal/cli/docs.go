package cli

import (
	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/iostreams"
)

// CommandTree returns the whole cobra command tree, for generating man
// pages and shell completions at release time. Its commands are not meant
// to be run.
func CommandTree() *cobra.Command {
	s, _, _, _ := iostreams.Test()
	root := newRootCmd(&Factory{IO: s, Getenv: func(string) string { return "" }})
	root.DisableAutoGenTag = true
	return root
}

package cli

import (
	"fmt"
	"io"
	"strings"
)

// printExports writes one `export NAME='value'` line a pair, for
// eval "$(cogtool ... -o env)" in sh, bash and zsh.
func printExports(w io.Writer, vars [][2]string) {
	for _, kv := range vars {
		fmt.Fprintf(w, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
}

// shellQuote quotes s for a POSIX shell: single quotes, and each single
// quote inside as '\”. Nothing inside single quotes is expanded.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

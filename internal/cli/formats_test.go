package cli

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// leafCommands is every runnable command that is neither a group nor a
// help topic, by command path.
func leafCommands(root *cobra.Command) map[string]*cobra.Command {
	out := map[string]*cobra.Command{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			walk(s)
		}
		if c != root && !c.HasSubCommands() && c.Runnable() && c.GroupID != "help" {
			out[c.CommandPath()] = c
		}
	}
	walk(root)
	return out
}

// TestOutputFormats runs every command with every -o: a format it declares
// passes the checks before its run; any other is exit 2 naming the ones
// it has.
func TestOutputFormats(t *testing.T) {
	all := []string{"auto", "text", "json", "token", "env"}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	getenv := func(k string) string {
		if k == "COGTOOL_CONFIG" {
			return cfg
		}
		return ""
	}
	io, _, _, _ := iostreams.Test()
	leaves := leafCommands(newRootCmd(&Factory{IO: io, Getenv: getenv}))
	for path := range outputFormats {
		if leaves[path] == nil {
			t.Errorf("outputFormats names %q, which is not a command", path)
		}
	}
	for path, c := range leaves {
		fs := commandFormats(c)
		if len(fs) < 2 || fs[0] != "auto" {
			t.Errorf("%s declares no output formats: add it to outputFormats or call setFormats", path)
			continue
		}
		if !strings.Contains(c.Long, "OUTPUT FORMATS\n  -o "+strings.Join(fs, ", ")) {
			t.Errorf("%s: help does not show its formats %v", path, fs)
		}
		machine := c.Annotations[annotationMachine]
		if machine == "auto" || !slices.Contains(fs, machine) {
			t.Errorf("%s: machine format %q is not one of its formats %v", path, machine, fs)
		}
		for _, o := range all {
			io, _, out, _ := iostreams.Test()
			f := &Factory{IO: io, Getenv: getenv}
			root := newRootCmd(f)
			ran := false
			for _, l := range leafCommands(root) {
				l.RunE = func(*cobra.Command, []string) error { ran = true; return nil }
				l.Args = cobra.ArbitraryArgs
			}
			args := append(strings.Fields(strings.TrimPrefix(path, "cogtool ")), "-o", o)
			root.SetArgs(args)
			root.SetOut(out)
			err := root.ExecuteContext(context.Background())
			if slices.Contains(fs, o) {
				if err != nil || !ran {
					t.Errorf("cogtool %s: declared format refused: ran=%v err=%v", strings.Join(args, " "), ran, err)
				}
				continue
			}
			var ue *usageError
			if !errors.As(err, &ue) || exitCode(context.Background(), err) != exit.Usage || ran {
				t.Errorf("cogtool %s: err=%v ran=%v, want a usage error (exit 2) before the run", strings.Join(args, " "), err, ran)
				continue
			}
			if want := "its formats are " + orList(fs); !strings.Contains(err.Error(), want) {
				t.Errorf("cogtool %s: error %q does not name %q", strings.Join(args, " "), err, want)
			}
		}
	}
}

// TestOutputFormatsThroughRun is the reproduction: decode and
// verify with -o token used to print text and exit 0.
func TestOutputFormatsThroughRun(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	for _, tt := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"decode", "-o", "token", "a.b.c"}, exit.Usage, "cogtool decode does not print -o token; its formats are auto, text or json\n"},
		{nil, []string{"verify", "-o", "token", "a.b.c"}, exit.Usage, "cogtool verify does not print -o token; its formats are auto, text or json\n"},
		{nil, []string{"version", "-o", "env"}, exit.Usage, "its formats are auto, text or json\n"},
		{nil, []string{"decode", "-o", "xml", "a.b.c"}, exit.Usage, `output "xml" is not one of`},
		// $COGTOOL_OUTPUT is shared by every command: where a command
		// does not print it, it means auto.
		{map[string]string{"COGTOOL_OUTPUT": "token"}, []string{"version"}, exit.OK, ""},
	} {
		io, _, out, errOut := iostreams.Test()
		getenv := func(k string) string {
			if k == "COGTOOL_CONFIG" {
				return cfg
			}
			return tt.env[k]
		}
		code := Run(context.Background(), io, tt.args, getenv)
		if code != tt.code || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("cogtool %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
		if code != exit.OK && out.Len() != 0 {
			t.Errorf("cogtool %v: printed %q on stdout before failing", tt.args, out)
		}
	}
}

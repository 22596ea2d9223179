package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// Annotations by which a command declares its -o formats: the formats it
// prints, comma-separated, and its machine form (what -o auto means when
// stdout is not a terminal).
const (
	annotationFormats = "cogtool/formats"
	annotationMachine = "cogtool/machine-format"
)

// formats is what a command prints with -o: machine is what -o auto means
// when stdout is not a terminal, list every format it accepts besides
// auto, in the order its help and errors show them.
type formats struct {
	machine string
	list    []string
}

var (
	tokenFormats = formats{"token", []string{"text", "json", "token", "env"}}
	jsonFormats  = formats{"json", []string{"text", "json"}}
	textFormats  = formats{"text", []string{"text", "json"}}
)

// outputFormats is what each runnable command prints, by command path.
// A format that changes nothing on stdout is still listed when it changes
// the command's errors: -o json writes them to stderr as one JSON object.
var outputFormats = map[string]formats{
	"cogtool token client-credentials": tokenFormats,
	"cogtool token password":           tokenFormats,
	"cogtool token srp":                tokenFormats,
	"cogtool token login":              tokenFormats,
	"cogtool token refresh":            tokenFormats,
	"cogtool token otp":                tokenFormats,
	"cogtool token respond":            tokenFormats,
	"cogtool token revoke":             textFormats, // prints nothing on stdout
	"cogtool token list":               jsonFormats,
	"cogtool token clear":              jsonFormats,
	"cogtool whoami":                   jsonFormats,

	"cogtool decode":          jsonFormats,
	"cogtool verify":          jsonFormats,
	"cogtool jwks":            jsonFormats, // the JWKS, indented, in every format
	"cogtool call":            textFormats, // the response body as received
	"cogtool exec":            textFormats, // the command's own output
	"cogtool aws-credentials": {"json", []string{"json", "env", "text"}},
	"cogtool doctor":          jsonFormats,
	"cogtool version":         textFormats,

	"cogtool config list":  jsonFormats,
	"cogtool config get":   textFormats,
	"cogtool config set":   textFormats,
	"cogtool config unset": textFormats,
	"cogtool config init":  jsonFormats,
}

// userGroupCommands print text on a terminal and JSON otherwise.
var userGroupCommands = []string{
	"user change-password", "user confirm", "user confirm-forgot-password", "user create",
	"user delete", "user disable", "user enable", "user forgot-password", "user get",
	"user groups", "user list", "user resend-code", "user reset-password", "user set-password",
	"user sign-out", "user sign-up", "user update",
	"group add", "group create", "group delete", "group list", "group members", "group remove",
}

func init() {
	for _, c := range userGroupCommands {
		outputFormats["cogtool "+c] = jsonFormats
	}
}

// setFormats declares the -o formats of cmd: machine is what -o auto
// means when stdout is not a terminal, list all it accepts besides auto.
func setFormats(cmd *cobra.Command, machine string, list ...string) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationFormats] = strings.Join(append([]string{"auto"}, list...), ",")
	cmd.Annotations[annotationMachine] = machine
}

// commandFormats is the formats cmd declared, nil when it declared none
// (groups and help topics).
func commandFormats(cmd *cobra.Command) []string {
	if s := cmd.Annotations[annotationFormats]; s != "" {
		return strings.Split(s, ",")
	}
	return nil
}

// addFormats declares the formats of every command in outputFormats that
// has not declared its own, and shows them in its help.
func addFormats(c *cobra.Command) {
	for _, sub := range c.Commands() {
		addFormats(sub)
	}
	if fs, ok := outputFormats[c.CommandPath()]; ok && commandFormats(c) == nil {
		setFormats(c, fs.machine, fs.list...)
	}
	fs := commandFormats(c)
	if fs == nil || strings.Contains(c.Long, "OUTPUT FORMATS") {
		return
	}
	long := c.Long
	if long == "" {
		long = c.Short
	}
	c.Long = long + "\n\nOUTPUT FORMATS\n  -o " + strings.Join(fs, ", ") +
		"\n  auto is text on a terminal and " + c.Annotations[annotationMachine] + " otherwise."
}

// machineFormat is what -o auto means for cmd when stdout is not a
// terminal: the machine form it declared, json when it declared none.
func machineFormat(cmd *cobra.Command) string {
	if m := cmd.Annotations[annotationMachine]; m != "" {
		return m
	}
	return "json"
}

// resolveOutput is the format to print: given (-o, $COGTOOL_OUTPUT or the
// profile's output) as it is, or, when it is "" or auto, text on a
// terminal and machine otherwise.
func resolveOutput(ios *iostreams.IOStreams, given, machine string) string {
	if given != "" && given != "auto" {
		return given
	}
	if ios.IsStdoutTTY() {
		return "text"
	}
	return machine
}

// checkFormat is the usage error for -o o when cmd does not print it.
func checkFormat(cmd *cobra.Command, o string) error {
	fs := commandFormats(cmd)
	if fs == nil {
		if !validOutput(o) {
			return exit.Usagef("output %q is not one of auto, text, json, token, env", o)
		}
		return nil
	}
	if o == "" {
		return nil
	}
	for _, f := range fs {
		if f == o {
			return nil
		}
	}
	return &usageError{
		err: exit.Usagef("%s does not print -o %s; its formats are %s", cmd.CommandPath(), o, orList(fs)),
		use: cmd.UseLine(),
	}
}

// orList joins "a", "b", "c" as "a, b or c".
func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return fmt.Sprintf("%s or %s", strings.Join(s[:len(s)-1], ", "), s[len(s)-1])
}

// checkFormat rejects a -o flag that cmd does not print (exit 2). An
// output from the environment or the profile is shared by every command,
// so where this command does not print it, it means auto here.
func (f *Factory) checkFormat(cmd *cobra.Command) error {
	if commandFormats(cmd) == nil {
		return nil
	}
	if fl := cmd.Flags().Lookup("output"); fl != nil && fl.Changed {
		return checkFormat(cmd, f.outputFlag)
	}
	if o := f.explicitOutput(); o != "" && checkFormat(cmd, o) != nil {
		if f.Settings != nil {
			f.Settings.Output = "auto"
		}
		f.outputFlag = "auto"
	}
	return nil
}

package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/exit"
)

const annotationNoSettings = "cogtool/no-settings"

func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "cogtool <command> [flags]",
		Short: "Tokens, users and JWT checks for Amazon Cognito user pools",
		Long: `cogtool gets tokens from Amazon Cognito user pools (client credentials, password,
SRP, refresh, hosted-UI login), administers users, decodes and verifies JWTs
against the pool's keys, and calls APIs with the token attached.

Every setting resolves as: flag > environment > profile in the config file >
derived default. See 'cogtool help environment' and 'cogtool help exit-codes'.`,
		Version:       build.Get().Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE:          groupRunE,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEmptyFlags(cmd); err != nil {
				return err
			}
			if cmd.Annotations[annotationNoSettings] != "" {
				// Commands that need no settings still honour -o.
				if o := f.explicitOutput(); o != "" && !validOutput(o) {
					return exit.Usagef("output %q is not one of auto, text, json, token, env", o)
				}
			} else {
				s, err := resolveSettings(cmd, f.Getenv, f.IO.In, f.warn)
				if err != nil {
					return err
				}
				f.Settings = s
			}
			if err := f.checkFormat(cmd); err != nil {
				return err
			}
			f.Output = resolveOutput(f.IO, f.explicitOutput(), machineFormat(cmd))
			return nil
		},
	}
	root.SetFlagErrorFunc(flagError)
	// Only --version prints the version, as in gh: cobra's -v shorthand
	// would swallow `cogtool -v call ...` (call's -v is --verbose).
	root.Flags().Bool("version", false, "print the version")

	pf := root.PersistentFlags()
	for _, name := range []string{"profile", "config", "region", "user-pool-id", "client-id",
		"client-secret-file", "endpoint-url"} {
		addStringSetting(pf, name)
	}
	pf.StringVarP(&f.outputFlag, "output", "o", "", flagUsage("output"))
	addStringSetting(pf, "timeout")
	pf.Bool("debug", false, "print a redacted trace of each HTTP exchange to stderr")

	root.AddGroup(
		&cobra.Group{ID: "main", Title: "Commands:"},
		&cobra.Group{ID: "help", Title: "Help topics:"},
	)
	for _, c := range []*cobra.Command{
		newTokenCmd(f),
		newUserCmd(f),
		newGroupRootCmd(f),
		newDoctorCmd(f, nil),
		newWhoamiCmd(f, nil),
		newDecodeCmd(f, nil),
		newVerifyCmd(f, nil),
		newJWKSCmd(f, nil),
		newCallCmd(f, nil),
		newAWSCredentialsCmd(f, nil),
		newExecCmd(f, nil),
		newConfigCmd(f),
		newVersionCmd(f, nil),
	} {
		c.GroupID = "main"
		root.AddCommand(c)
	}
	for _, c := range helpTopics() {
		c.GroupID = "help"
		root.AddCommand(c)
	}
	addFormats(root)
	addExitStatus(root)
	addCompletions(root, f)
	root.SetHelpCommandGroupID("main")
	root.SetCompletionCommandGroupID("main")
	// Flag errors of subcommands go through the same func.
	return root
}

// groupRunE runs for a command that only groups others: bare, it shows
// help; with an argument, the argument is an unknown command.
func groupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{err: fmt.Errorf("%s", msg), use: cmd.UseLine()}
}

// newGroupCmd returns a command that only holds subcommands.
func newGroupCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs, RunE: groupRunE}
	c.AddCommand(subs...)
	return c
}

// argsUsage wraps a cobra positional-argument check so that its failure
// is a usage error (exit 2, with the usage line).
func argsUsage(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{err: err, use: cmd.UseLine()}
		}
		return nil
	}
}

// usagef returns a usage error for cmd.
func usagef(cmd *cobra.Command, format string, a ...any) error {
	return &usageError{err: exit.Usagef(format, a...), use: cmd.UseLine()}
}

func validOutput(o string) bool {
	switch o {
	case "auto", "text", "json", "token", "env":
		return true
	}
	return false
}

// annotationExit lists the exit codes a command can return besides 1
// (unexpected) and 130 (interrupted), which any command can: "0 2 4 5".
// Its EXIT STATUS help section is built from it.
const annotationExit = "cogtool/exit-codes"

// exitMeaning is each code's phrase in an EXIT STATUS section.
var exitMeaning = map[int]string{
	0: "success",
	2: "usage error or bad input",
	3: "token rejected",
	4: "Cognito or the token endpoint refused the credentials",
	5: "network or service failure",
	6: "the API answered an unexpected status",
	7: "a challenge needs input that cannot be prompted for",
}

// exitCodesDefault are the codes of a command with neither an annotation
// nor a row in exitCodes: a Cognito call that answers no challenge.
const exitCodesDefault = "0 2 4 5"

// exitCodes are the codes each command can return, by command path; a
// command's annotationExit, when set, wins.
var exitCodes = map[string]string{
	"cogtool decode":                   "0 2",
	"cogtool verify":                   "0 2 3 5",
	"cogtool jwks":                     "0 2 5",
	"cogtool call":                     "0 2 4 5 6 7",
	"cogtool version":                  "0",
	"cogtool config list":              "0 2",
	"cogtool config get":               "0 1 2",
	"cogtool config set":               "0 2",
	"cogtool token password":           "0 2 4 5 7",
	"cogtool token srp":                "0 2 4 5 7",
	"cogtool token client-credentials": "0 2 4 5",
	"cogtool token otp":                "0 2 4 5 7",
	"cogtool token respond":            "0 2 4 5 7",
	"cogtool token login":              "0 2 4 5",
	"cogtool token refresh":            "0 2 4 5 7",
}

// exitPhrases holds the phrases of commands that say more than exitMeaning,
// by command path and code.
var exitPhrases = map[string]map[int]string{
	"cogtool decode":     {0: "decoded", 2: "not a JWT or unreadable input"},
	"cogtool verify":     {0: "valid", 2: "unreadable input or bad settings", 3: "rejected (any, with --batch)", 5: "the JWKS could not be fetched"},
	"cogtool jwks":       {0: "printed", 2: "bad settings", 5: "the JWKS could not be fetched"},
	"cogtool call":       {0: "expected status", 4: "the token flow was refused", 5: "the API or token endpoint unreachable", 6: "unexpected status"},
	"cogtool version":    {0: "always"},
	"cogtool config get": {0: "printed", 1: "the key is not set", 2: "unknown key or unreadable config file"},
}

// exitStatus replaces the whole EXIT STATUS line of a command, by command
// path, when its codes need more words than a phrase each.
var exitStatus = map[string]string{}

// exitCodesOf returns the codes cmd declares, or the default.
func exitCodesOf(c *cobra.Command) []int {
	spec := c.Annotations[annotationExit]
	if spec == "" {
		spec = exitCodes[c.CommandPath()]
	}
	if spec == "" {
		spec = exitCodesDefault
	}
	var codes []int
	for _, f := range strings.Fields(spec) {
		var n int
		if _, err := fmt.Sscan(f, &n); err != nil {
			panic("cli: bad " + annotationExit + " on " + c.CommandPath() + ": " + spec)
		}
		codes = append(codes, n)
	}
	return codes
}

// addExitStatus ends the help of every runnable command with its exit codes.
func addExitStatus(c *cobra.Command) {
	for _, sub := range c.Commands() {
		addExitStatus(sub)
	}
	if !c.Runnable() || c.HasSubCommands() || c.GroupID == "help" {
		return
	}
	long := c.Long
	if long == "" {
		long = c.Short
	}
	if strings.Contains(long, "EXIT STATUS") {
		return
	}
	if text, ok := exitStatus[c.CommandPath()]; ok {
		c.Long = long + "\n\nEXIT STATUS\n  " + text + "\n  See 'cogtool help exit-codes'."
		return
	}
	var parts []string
	for _, code := range exitCodesOf(c) {
		phrase := exitPhrases[c.CommandPath()][code]
		if phrase == "" {
			phrase = exitMeaning[code]
		}
		parts = append(parts, fmt.Sprintf("%d %s", code, phrase))
	}
	c.Long = long + "\n\nEXIT STATUS\n  " + strings.Join(parts, ", ") + ".\n  See 'cogtool help exit-codes'."
}
